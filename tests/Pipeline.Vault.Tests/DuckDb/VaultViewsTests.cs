using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

public sealed class VaultViewsTests
{
    private const long Day1 = 1720000000123; // 2024-07-03T09:46:40.123Z
    private const long Day2 = 1720094400000; // 2024-07-04T12:00:00Z

    [Fact]
    public void Trades_JsonlAndParquetDays_ReadTogetherWithExactDecimals()
    {
        using var vault = TestVault.Create();
        vault.WriteTrades(
            TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, Day1 + 5, "0.00000001", "1", "0.01"),
            TestVault.Trade("binance", "BTCUSDT", 900, Day2, "64000.1234567891", "0.002", "0.002", firstId: 10, lastId: 12)); // 10 decimals: the amount scale
        vault.CompactDay("binance", "BTCUSDT", new DateOnly(2024, 7, 4));
        Assert.False(File.Exists(vault.Layout.RawDayJsonl("binance", "BTCUSDT", new DateOnly(2024, 7, 4))));

        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query("select exchange, instId, date, tradeId, ts, px, sz, qtyBase, firstId, lastId, count, recvTs from trades order by ts");
        Assert.Equal(ViewSchemas.AmountType, reader.GetTypeName(5));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", reader.GetTypeName(4));
        Assert.Equal("DATE", reader.GetTypeName(2));

        Assert.True(reader.Read());
        Assert.Equal(("okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3), "1"), (reader.GetString(0), reader.GetString(1), reader.GetDate(2), reader.GetString(3)));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Day1), reader.GetDateTimeOffset(4));
        Assert.Equal(65000.1m, reader.GetDecimal(5));
        Assert.Equal(4m, reader.GetDecimal(6));
        Assert.Equal(0.04m, reader.GetDecimal(7));
        Assert.True(reader.IsNull(8));
        Assert.True(reader.IsNull(10));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Day1 + 27), reader.GetDateTimeOffset(11));

        Assert.True(reader.Read());
        Assert.Equal(0.00000001m, reader.GetDecimal(5));

        Assert.True(reader.Read()); // from the Parquet day
        Assert.Equal(("binance", "BTCUSDT", new DateOnly(2024, 7, 4), "900"), (reader.GetString(0), reader.GetString(1), reader.GetDate(2), reader.GetString(3)));
        Assert.Equal(64000.1234567891m, reader.GetDecimal(5));
        Assert.Equal(10, reader.GetInt64(8));
        Assert.Equal(12, reader.GetInt64(9));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Trades_ParquetWithTypedColumns_IsNormalisedToo()
    {
        // A Parquet day written with DECIMAL prices and TIMESTAMPTZ times (and no count/firstId/lastId).
        using var vault = TestVault.Create();
        vault.WriteTrades(TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"));
        var day = new DateOnly(2024, 7, 4);
        var parquet = vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", day);
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"""
                COPY (select 'okx' as exchange, 'BTC-USDT-SWAP' as instId, '2' as tradeId, make_timestamptz({Day2}::BIGINT * 1000) as ts,
                             65000.25::DECIMAL(18,8) as px, 3::DECIMAL(18,8) as sz, 'buy' as side, 0.01::DECIMAL(18,8) as ctVal,
                             1::DECIMAL(18,8) as ctMult, 'linear' as ctType, 'BTC' as ctValCcy, 0.03::DECIMAL(18,8) as qtyBase,
                             make_timestamptz({Day2 + 5}::BIGINT * 1000) as recvTs, 'rest' as src)
                TO {VaultViews.Literal(parquet)} (FORMAT parquet)
                """);
        }

        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query("select date, tradeId, ts, px, qtyBase, count, src from trades order by ts");
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.Equal(day, reader.GetDate(0));
        Assert.Equal("2", reader.GetString(1));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Day2), reader.GetDateTimeOffset(2));
        Assert.Equal(65000.25m, reader.GetDecimal(3));
        Assert.Equal(0.03m, reader.GetDecimal(4));
        Assert.True(reader.IsNull(5));
        Assert.Equal("rest", reader.GetString(6));
    }

    [Fact]
    public void Trades_GarbageAndTornLines_AreSkipped()
    {
        using var vault = TestVault.Create();
        var path = vault.WriteTrades(
            TestVault.Trade("okx", "ETH-USDT-SWAP", 1, Day1, "3000.5", "1", "0.1"),
            TestVault.Trade("okx", "ETH-USDT-SWAP", 2, Day1 + 1, "3000.6", "1", "0.1"))[0];
        TestVault.WriteLines(path, "garbage{{ not json", """{"exchange":"okx","instId":"ETH-USDT-SWAP","tradeId":"3","ts":1720000000999,"px":"not-a-number","sz":"1","side":"buy","ctVal":"0.1","ctMult":"1","ctType":"linear","ctValCcy":"ETH","qtyBase":"0.1","recvTs":1720000001000,"src":"ws"}""");
        File.AppendAllText(path, """{"exchange":"okx","instId":"ETH-USDT-SW"""); // torn tail after a crash

        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query("select count(*), count(px), sum(px) from trades");
        Assert.True(reader.Read());
        Assert.Equal(2, reader.GetInt64(0)); // a price that is not a number leaves its line out (it cannot be represented)
        Assert.Equal(2, reader.GetInt64(1));
        Assert.Equal(6001.1m, reader.GetDecimal(2));
    }

    [Fact]
    public void Trades_DayInBothForms_CountsOnce()
    {
        using var vault = TestVault.Create();
        vault.WriteTrades(
            TestVault.Trade("okx", "BTC-USDT-SWAP", 1, Day1, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, Day2, "65000.2", "4", "0.04"));
        vault.CompactDay("okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3), keepJsonl: true); // mid-compaction
        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query("select count(*), count(distinct tradeId) from trades");
        Assert.True(reader.Read());
        Assert.Equal(2, reader.GetInt64(0));
        Assert.Equal(2, reader.GetInt64(1));
    }

    [Fact]
    public void EmptyVault_EveryViewExistsAndIsEmpty()
    {
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        foreach (var view in VaultViews.Names)
        {
            using var reader = query.Query($"select count(*) from {view}");
            Assert.True(reader.Read());
            Assert.Equal(0, reader.GetInt64(0));
        }

        using var trades = query.Query("select px, ts, exchange from trades");
        Assert.Equal(ViewSchemas.AmountType, trades.GetTypeName(0));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", trades.GetTypeName(1));
        using var vwap = query.Query("select minute, exchange, instId, date from vwap");
        Assert.Equal("TIMESTAMP WITH TIME ZONE", vwap.GetTypeName(0));
    }

    [Fact]
    public void MinuteViews_FixedColumns_DecimalsAndUtcMinutes()
    {
        using var vault = TestVault.Create();
        var day = new DateOnly(2025, 12, 14);
        TestVault.WriteLines(vault.Layout.DerivedDay("vwap", "okx", "BTC-USDT-SWAP", day),
            """{"minute":"2025-12-14T21:34:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vwap1m":"65000.123456789012345678","vwap1h":"65001","trades1h":12,"adx":null}""",
            """{"minute":"2025-12-14T21:35:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","vwap1m":"0.00000001","vwap1h":"65002.5","trades1h":13,"adx":null}""",
            "torn garbage");
        TestVault.WriteLines(vault.Layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", day),
            """{"minute":"2025-12-14T21:34:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","open":"1.5","close":"2","firstTradeId":"77","lastTradeId":"79"}""");

        using var query = VaultQuery.Open(vault.Layout);
        using (var reader = query.Query("select minute, exchange, instId, date, vwap1m, vwap1h, trades1h from vwap order by minute"))
        {
            Assert.Equal(ViewSchemas.ComputedType, reader.GetTypeName(4));
            Assert.True(reader.Read());
            Assert.Equal(new DateTimeOffset(2025, 12, 14, 21, 34, 0, TimeSpan.Zero), reader.GetDateTimeOffset(0));
            Assert.Equal(("okx", "BTC-USDT-SWAP", day), (reader.GetString(1), reader.GetString(2), reader.GetDate(3)));
            Assert.Equal(65000.123456789012345678m, reader.GetDecimal(4));
            Assert.Equal(65001m, reader.GetDecimal(5));
            Assert.Equal(12, reader.GetInt64(6));
            Assert.True(reader.Read());
            Assert.Equal(0.00000001m, reader.GetDecimal(4));
            Assert.False(reader.Read());
        }

        using (var vwap4h = query.Query("select vwap4h from vwap"))
        {
            Assert.Equal(ViewSchemas.ComputedType, vwap4h.GetTypeName(0)); // in no file yet (not warm): still a decimal column
        }

        using var bars = query.Query("select open, lastTradeId from bars_1m");
        Assert.Equal(ViewSchemas.AmountType, bars.GetTypeName(0));
        Assert.Equal("VARCHAR", bars.GetTypeName(1));
        Assert.True(bars.Read());
        Assert.Equal(1.5m, bars.GetDecimal(0));
        Assert.Equal("79", bars.GetString(1));
    }

    [Fact]
    public void LedgerAndSignals_HaveStrategyFromPath()
    {
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.LedgerFills("vwap_revert"),
            """{"ts":1720000000123,"time":"2024-07-03T09:46:40.123Z","strategy":"vwap_revert","fillId":"f1","orderId":"o1","positionId":"p1","kind":"entry","side":"buy","px":"65000.1","qty":"0.5","notional":"32500.05","liquidity":"taker","feeRate":"0.0002","fee":"0.0065","tradeId":"7"}""");
        TestVault.WriteLines(vault.Layout.SignalsDay("vwap_revert", "okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3)),
            """{"minute":"2024-07-03T09:46:00Z","strategy":"vwap_revert","exchange":"okx","instId":"BTC-USDT-SWAP","action":"long","reason":"below band","close":"65000.1"}""");
        using var query = VaultQuery.Open(vault.Layout);
        using (var fills = query.Query("select strategy, ts, px, fee, side from fills"))
        {
            Assert.True(fills.Read());
            Assert.Equal("vwap_revert", fills.GetString(0));
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Day1), fills.GetDateTimeOffset(1));
            Assert.Equal(65000.1m, fills.GetDecimal(2));
            Assert.Equal(0.0065m, fills.GetDecimal(3));
            Assert.Equal("buy", fills.GetString(4));
        }

        using var signals = query.Query("select strategy, exchange, instId, date, action, close from signals");
        Assert.True(signals.Read());
        Assert.Equal(("vwap_revert", "okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3), "long", 65000.1m),
            (signals.GetString(0), signals.GetString(1), signals.GetString(2), signals.GetDate(3), signals.GetString(4), signals.GetDecimal(5)));
    }

    [Theory]
    [InlineData("65000.1", "65000.1")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("0.000000001", "0.000000001")] // 9 fractional digits: the slow exact path
    [InlineData("0.0000000001", "0.0000000001")] // 10: the scale
    [InlineData("0.00000000001", null)] // 11: never rounded to 0
    [InlineData("65000.10000000000000", "65000.1")] // trailing zeros past the scale: still exact
    [InlineData("1234567890.12345678", "1234567890.12345678")]
    [InlineData("12345678901.5", "12345678901.5")] // 11 integer digits
    [InlineData("9999999999999999999999999999", "9999999999999999999999999999")] // 28 integer digits: the most DECIMAL(38,10) holds
    [InlineData("99999999999999999999999999999", null)] // 29
    [InlineData("-42", "-42")]
    [InlineData("1e-9", null)] // exchanges send plain decimals; an exponent is refused, not guessed
    [InlineData("abc", null)]
    [InlineData("", null)]
    public void ExactDecimal_FastAndSlowPaths_AgreeExactly(string text, string? expected)
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query($"select ({VaultViews.ExactDecimal("x", 10)})::VARCHAR, typeof({VaultViews.ExactDecimal("x", 10)}) from (select ?::VARCHAR as x)", text);
        Assert.True(reader.Read());
        Assert.Equal("DECIMAL(38,10)", reader.GetString(1));
        if (expected is null)
        {
            Assert.True(reader.IsNull(0));
        }
        else
        {
            Assert.Equal(decimal.Parse(expected, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
                decimal.Parse(reader.GetString(0), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
