using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>
/// Parquet days are grouped by their footer's schema, so the views bind one footer per schema instead of
/// every footer (union_by_name); days compacted by different versions still read together.
/// </summary>
public sealed class ParquetSchemaKeyTests
{
    private const long Day1 = 1720000000123; // 2024-07-03
    private static readonly DateOnly D1 = new(2024, 7, 3);
    private static readonly DateOnly D2 = new(2024, 7, 4);
    private static readonly DateOnly D3 = new(2024, 7, 5);

    [Fact]
    public void Read_SameSchemaOtherRows_SameKey_OtherSchemaOrGarbage_Differs()
    {
        using var vault = TestVault.Create();
        var a = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D1);
        var b = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D2);
        var c = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D3);
        Directory.CreateDirectory(Path.GetDirectoryName(a)!);
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"COPY (select i::VARCHAR as px, i as n from range(3) t(i)) TO {VaultViews.Literal(a)} (FORMAT parquet)");
            connection.Execute($"COPY (select (i * 7)::VARCHAR as px, i + 100 as n from range(5000) t(i)) TO {VaultViews.Literal(b)} (FORMAT parquet)");
            connection.Execute($"COPY (select i::DECIMAL(18,8) as px, i as n from range(3) t(i)) TO {VaultViews.Literal(c)} (FORMAT parquet)");
        }

        Assert.NotNull(ParquetSchemaKey.Read(a));
        Assert.Equal(ParquetSchemaKey.Read(a), ParquetSchemaKey.Read(b));
        Assert.NotEqual(ParquetSchemaKey.Read(a), ParquetSchemaKey.Read(c));

        var bytes = File.ReadAllBytes(c);
        var footer = BitConverter.ToInt32(bytes, bytes.Length - 8);
        Array.Fill(bytes, (byte)0xFF, bytes.Length - 8 - footer, footer);
        File.WriteAllBytes(c, bytes);
        Assert.Null(ParquetSchemaKey.Read(c));
    }

    [Fact]
    public void Trades_ParquetDaysOfTwoSchemas_ReadTogetherWithoutUnionByName()
    {
        using var vault = TestVault.Create();
        vault.WriteTrades(
            TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, Day1 + 86_400_000, "65000.2", "1", "0.01"));
        vault.CompactDay("okx", "BTC-USDT-SWAP", D1); // text columns with DECIMAL companions
        var typed = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D3);
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"""
                COPY (select 'okx' as exchange, 'BTC-USDT-SWAP' as instId, '3' as tradeId, make_timestamptz({Day1 + (2 * 86_400_000)}::BIGINT * 1000) as ts,
                             65000.3::DECIMAL(18,8) as px, 2::DECIMAL(18,8) as sz, 'sell' as side, 0.01::DECIMAL(18,8) as ctVal,
                             1::DECIMAL(18,8) as ctMult, 'linear' as ctType, 'BTC' as ctValCcy, 0.02::DECIMAL(18,8) as qtyBase,
                             make_timestamptz({Day1 + (2 * 86_400_000) + 5}::BIGINT * 1000) as recvTs, 'rest' as src)
                TO {VaultViews.Literal(typed)} (FORMAT parquet)
                """);
        }

        Assert.NotEqual(ParquetSchemaKey.Read(vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D1)), ParquetSchemaKey.Read(typed));
        using var query = VaultQuery.Open(vault.Layout);
        Assert.Empty(query.DamagedFiles);
        using var reader = query.Query("select string_agg(tradeId || ':' || px::VARCHAR || ':' || qtyBase::VARCHAR, ' ' order by ts) from trades");
        Assert.True(reader.Read());
        Assert.Equal("1:65000.1000000000:0.0400000000 2:65000.2000000000:0.0100000000 3:65000.3000000000:0.0200000000", reader.GetString(0));
    }
}
