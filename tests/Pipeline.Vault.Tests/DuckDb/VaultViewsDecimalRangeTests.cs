using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>
/// The views' decimal types (<see cref="ViewSchemas"/>): a value at a type's documented limits round-trips
/// exactly; a value past them is never rounded: in <c>trades</c> the line stays and a query reading the value
/// fails naming it, a derived value is NULL, and a product or sum that outgrows its type is an error.
/// </summary>
public sealed class VaultViewsDecimalRangeTests
{
    private const long Day1 = 1720000000123; // 2024-07-03T09:46:40.123Z
    private static readonly DateOnly D1 = new(2024, 7, 3);

    private static string Line(string id, string px, string qtyBase) =>
        $$"""{"exchange":"okx","instId":"BTC-USDT-SWAP","tradeId":"{{id}}","ts":{{Day1}},"px":"{{px}}","sz":"1","side":"buy","ctVal":"1","ctMult":"1","ctType":"linear","ctValCcy":"BTC","qtyBase":"{{qtyBase}}","recvTs":{{Day1 + 1}},"src":"ws"}""";

    private static List<string> Texts(VaultQuery query, string sql)
    {
        using var reader = query.Query(sql);
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsNull(0) ? "NULL" : reader.GetString(0));
        }

        return values;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trades_AmountsAtTheLimits_RoundTripExactly_PastThemFailLoudly(bool compacted)
    {
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.RawDayJsonl("okx", "BTC-USDT-SWAP", D1),
            Line("1", "9999999999999999999999999999.9999999999", "0.0000000001"),  // DECIMAL(38,10)'s largest and smallest
            Line("2", "65000.1000000000000000", "1.5"),                           // trailing zeros past the scale: still exact
            Line("3", "65000.12345678901", "1"),                                  // 11 decimals: past the scale
            Line("4", "65000.1", "0.00000000001"),                                // 11 decimals
            Line("5", "99999999999999999999999999999", "1"));                     // 29 integer digits
        if (compacted)
        {
            vault.CompactDay("okx", "BTC-USDT-SWAP", D1);
        }

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["5"], Texts(query, "select count(*)::VARCHAR from trades")); // no line hidden
        Assert.Equal(["1|9999999999999999999999999999.9999999999|0.0000000001", "2|65000.1000000000|1.5000000000"],
            Texts(query, "select tradeId || '|' || px::VARCHAR || '|' || qtyBase::VARCHAR from trades where tradeId in ('1', '2') order by tradeId"));
        Assert.Equal(["DECIMAL(38,20)"], Texts(query, "select typeof(px * qtyBase) from trades limit 1"));
        Assert.Equal(["999999999999999999.99999999999999999999"], Texts(query, "select (px * qtyBase)::VARCHAR from trades where tradeId = '1'")); // DECIMAL(38,20)'s largest
        Assert.Equal(["97500.15000000000000000000"], Texts(query, "select sum(px * qtyBase)::VARCHAR from trades where tradeId = '2'"));
        foreach (var (id, column, value) in new[] { ("3", "px", "65000.12345678901"), ("4", "qtyBase", "0.00000000001"), ("5", "px", "99999999999999999999999999999") })
        {
            var error = Assert.Throws<DuckDbException>(() => Texts(query, $"select sum(px * qtyBase)::VARCHAR from trades where tradeId = '{id}'"));
            Assert.Contains($"trades.{column} {value} (tradeId {id}, ", error.Message, StringComparison.Ordinal);
            Assert.Contains("does not fit DECIMAL(38,10) exactly", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// An inverse swap's qtyBase (sz × ctVal / px, up to 28 decimals) does not fit DECIMAL(38,10): before the fix
    /// every such trade was silently missing from <c>trades</c>. Now the trades are there, every other column
    /// reads, and reading qtyBase fails with a hint instead of rounding it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trades_InverseContractWith28DecimalQtyBase_IsNotLeftOut(bool compacted)
    {
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.RawDayJsonl("okx", "BTC-USD-SWAP", D1),
            $$"""{"exchange":"okx","instId":"BTC-USD-SWAP","tradeId":"7","ts":{{Day1}},"px":"65000","sz":"1","side":"buy","ctVal":"100","ctMult":"1","ctType":"inverse","ctValCcy":"USD","qtyBase":"0.0015384615384615384615384615","recvTs":{{Day1 + 1}},"src":"ws"}""");
        if (compacted)
        {
            vault.CompactDay("okx", "BTC-USD-SWAP", D1);
        }

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["1|65000.0000000000|100.00000000000000000000"], Texts(query, "select count(*) || '|' || max(px)::VARCHAR || '|' || sum(sz * ctVal)::VARCHAR from trades where instId = 'BTC-USD-SWAP'"));
        var error = Assert.Throws<DuckDbException>(() => Texts(query, "select sum(qtyBase) from trades"));
        Assert.Contains("trades.qtyBase 0.0015384615384615384615384615 (tradeId 7, ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ctType = 'linear'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trades_ProductPastTheNotionalRange_FailsLoudlyNeverRounds()
    {
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.RawDayJsonl("okx", "BTC-USDT-SWAP", D1),
            Line("1", "1000000000", "1000000000")); // product 10^18: one digit more than DECIMAL(38,20) holds
        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["1"], Texts(query, "select tradeId from trades"));
        var error = Assert.Throws<DuckDbException>(() => Texts(query, "select sum(px * qtyBase)::VARCHAR from trades"));
        Assert.Contains("Overflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinuteViews_DecimalsAtTheLimits_RoundTripExactly_PastThemNull()
    {
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", D1),
            """{"minute":"2024-07-03T09:46:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","close":"0.0000000001","volQuote":"999999999999999999.99999999999999999999","maxMove5sBps":"9999999999.9999999999999999999999999999"}""",
            """{"minute":"2024-07-03T09:47:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","close":"0.00000000001","volQuote":"1000000000000000000","maxMove5sBps":"0.00000000000000000000000000001"}""");
        TestVault.WriteLines(vault.Layout.DerivedDay("vwap", "okx", "BTC-USDT-SWAP", D1),
            """{"minute":"2024-07-03T09:46:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vwap1m":"65000.12345678901234567890123","vol1h":"12.5"}""");
        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["0.0000000001|999999999999999999.99999999999999999999|9999999999.9999999999999999999999999999", "NULL|NULL|NULL"],
            Texts(query, "select coalesce(close::VARCHAR, 'NULL') || '|' || coalesce(volQuote::VARCHAR, 'NULL') || '|' || coalesce(maxMove5sBps::VARCHAR, 'NULL') from bars_1m order by minute"));
        Assert.Equal(["65000.1234567890123456789012300000"], Texts(query, "select vwap1m::VARCHAR from vwap"));
        Assert.Equal(["DECIMAL(38,10)|DECIMAL(38,20)|DECIMAL(38,28)|DECIMAL(38,28)|DECIMAL(38,10)"],
            Texts(query, "select typeof(b.close) || '|' || typeof(b.volQuote) || '|' || typeof(b.maxMove5sBps) || '|' || typeof(v.vwap1m) || '|' || typeof(v.vol1h) from bars_1m b, vwap v limit 1"));
    }
}
