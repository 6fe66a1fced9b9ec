using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>One damaged file or one unrepresentable value never takes down a query over the vault.</summary>
public sealed class VaultViewsDamageTests
{
    private const long Day1 = 1720000000123; // 2024-07-03T09:46:40.123Z
    private const long Day2 = 1720094400000; // 2024-07-04T12:00:00Z
    private static readonly DateOnly D1 = new(2024, 7, 3);
    private static readonly DateOnly D2 = new(2024, 7, 4);

    private static TestVault VaultWithTwoCompactedDays()
    {
        var vault = TestVault.Create();
        vault.WriteTrades(
            TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, Day2, "65000.2", "1", "0.01"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 3, Day2 + 1, "65000.3", "1", "0.01"),
            TestVault.Trade("okx", "ETH-USDT-SWAP", 1, Day1, "3000.5", "1", "0.1"));
        vault.CompactDay("okx", "BTC-USDT-SWAP", D1);
        vault.CompactDay("okx", "BTC-USDT-SWAP", D2);
        vault.CompactDay("okx", "ETH-USDT-SWAP", D1);
        var minute = vault.Layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", D1);
        TestVault.WriteLines(minute, """{"minute":"2024-07-03T09:46:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","close":"65000.1"}""");
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute($"COPY (SELECT * FROM read_json({VaultViews.Literal(minute)})) TO {VaultViews.Literal(Path.ChangeExtension(minute, ".parquet"))} (FORMAT parquet)");
        File.Delete(minute);
        return vault;
    }

    private static long Count(VaultQuery query, string sql)
    {
        using var reader = query.Query(sql);
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }

    [Fact]
    public void VaultViews_TruncatedParquetDay_ReportedWithPathAndSkipped()
    {
        using var vault = VaultWithTwoCompactedDays();
        var bad = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", D2);
        using (var stream = new FileStream(bad, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2); // a copy cut short
        }

        using var query = VaultQuery.Open(vault.Layout);
        var damaged = Assert.Single(query.DamagedFiles);
        Assert.Equal(bad, damaged.Path);
        Assert.Contains("truncated", damaged.Reason, StringComparison.Ordinal);
        Assert.Equal(1, Count(query, "select 1"));
        Assert.Equal(2, Count(query, "select count(*) from trades")); // BTC day 1 and ETH: the other day and instrument
        Assert.Equal(1, Count(query, "select count(*) from trades where instId = 'ETH-USDT-SWAP'"));
        Assert.Equal(1, Count(query, "select count(*) from bars_1m"));
    }

    [Fact]
    public void VaultViews_ParquetFooterGarbage_ReportedWithPathAndSkipped()
    {
        // Magic bytes and footer length intact, footer content garbage: the cheap check passes, DuckDB's read does not.
        using var vault = VaultWithTwoCompactedDays();
        var bad = vault.Layout.RawDayParquet("okx", "ETH-USDT-SWAP", D1);
        var bytes = File.ReadAllBytes(bad);
        var footer = BitConverter.ToInt32(bytes, bytes.Length - 8);
        Array.Fill(bytes, (byte)0xFF, bytes.Length - 8 - footer, footer);
        File.WriteAllBytes(bad, bytes);
        Assert.Null(ParquetFooter.Problem(bad));

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(bad, Assert.Single(query.DamagedFiles).Path);
        Assert.Equal(3, Count(query, "select count(*) from trades"));
        Assert.Equal(0, Count(query, "select count(*) from trades where instId = 'ETH-USDT-SWAP'"));
    }

    [Fact]
    public void VaultViews_DerivedParquetTruncated_OtherViewsStillQuery()
    {
        using var vault = VaultWithTwoCompactedDays();
        var bad = Path.ChangeExtension(vault.Layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", D1), ".parquet");
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..100]);

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(bad, Assert.Single(query.DamagedFiles).Path);
        Assert.Equal(0, Count(query, "select count(*) from bars_1m"));
        Assert.Equal(4, Count(query, "select count(*) from trades"));
    }

    [Fact]
    public void Trades_UnrepresentableTimes_LineLeftOutAndEveryQueryStillWorks()
    {
        using var vault = TestVault.Create();
        var path = vault.WriteTrades(
            TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, Day1 + 1, "65000.2", "1", "0.01"))[0];
        static string Line(string id, string ts, string px, string recvTs = "1720000000200") =>
            $$"""{"exchange":"okx","instId":"BTC-USDT-SWAP","tradeId":"{{id}}","ts":{{ts}},"px":"{{px}}","sz":"1","side":"buy","ctVal":"0.01","ctMult":"1","ctType":"linear","ctValCcy":"BTC","qtyBase":"0.01","recvTs":{{recvTs}},"src":"ws"}""";
        TestVault.WriteLines(path,
            Line("10", "253402300800000", "65000"),                    // 10000-01-01: past year 9999
            Line("11", "1000000000000000", "65000"),                   // 1e15 ms: year 33658
            Line("12", "9223372036854775807", "65000"),                // ts * 1000 overflows BIGINT
            Line("13", "-9223372036854775808", "65000"),
            Line("15", "1720000000400", "65000", recvTs: "9223372036854775807"),
            Line("16", "99999999999999999999", "65000"));              // not even a BIGINT

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(2, Count(query, "select count(*) from trades"));
        using (var reader = query.Query("select tradeId, ts, recvTs, px, px * 2 as twice, date_trunc('minute', ts) as m from trades order by ts"))
        {
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
                Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Day1).Year, reader.GetDateTimeOffset(1).Year);
                _ = reader.GetDateTimeOffset(2);
                _ = reader.GetDecimal(3);
            }

            Assert.Equal(["1", "2"], ids);
        }

        Assert.Equal(2, Count(query, "select count(*) from trades where px > 0 and ts < now()"));
    }
}
