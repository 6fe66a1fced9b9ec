using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Ledger;

public sealed class LedgerWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly Pipeline.Jobs.Strategies.StrategyConfig _config = CreateConfig();

    public LedgerWriterTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OnSignal_NoTradeBecauseAdx27_3_WritesTheDecisionWithItsValues()
    {
        using (var ledger = LedgerWriter.Open(_vault, _config, null))
        {
            var engine = new PaperTradingEngine(_config, _config.CreateStrategy(), ledger);
            engine.OnMinute(Inputs(0, 980m, adx: 27.3m, move: 3.25m));
        }

        var path = _vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3));
        Assert.Equal(
            """{"minute":"2025-03-03T12:00:00Z","strategy":"vwap_mean_reversion","exchange":"okx","instId":"BTC-USDT-SWAP","action":"none","reason":"adx 27.3 ≥ 20","close":"980","vwap":"1000","sigma":"10","upper":"1015","lower":"985","adx":"27.3","maxMove5sBps":"3.25"}""" + "\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void OnSignal_AdxWarmingUp_WritesNullAdx()
    {
        using (var ledger = LedgerWriter.Open(_vault, _config, null))
        {
            new PaperTradingEngine(_config, _config.CreateStrategy(), ledger).OnMinute(Inputs(0, 980m, adx: null));
        }

        var line = File.ReadAllText(_vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3)));
        Assert.Contains("\"reason\":\"adx warming up\"", line, StringComparison.Ordinal);
        Assert.Contains("\"adx\":null", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Ledger_RoundTrip_WritesOrdersFillsPositionsWithExactDecimals()
    {
        using (var ledger = LedgerWriter.Open(_vault, _config, null))
        {
            var engine = new PaperTradingEngine(_config, _config.CreateStrategy(), ledger);
            engine.OnMinute(Inputs(0, 980m));
            engine.OnTrade(new TradeTick(At(1, 123), 979.5m, 1m, "sell", "77"));
            engine.OnTrade(new TradeTick(At(2, 0), 986m, 1m, "buy", "78"));
            engine.AdvanceTo(Minute(3));
        }

        var fills = File.ReadAllLines(_vault.LedgerFills("vwap_mean_reversion"));
        Assert.Equal(2, fills.Length);
        Assert.Equal(
            """{"ts":1741003260123,"time":"2025-03-03T12:01:00.123Z","strategy":"vwap_mean_reversion","fillId":"f1","orderId":"o1","positionId":"p1","kind":"entry","side":"buy","px":"980","qty":"1.020408163265","notional":"1000","notionalCcy":"USDT","liquidity":"maker","feeRate":"0.0002","fee":"0.2","feeCcy":"USDT","tradeId":"77","ctType":"linear"}""",
            fills[0]);
        var positions = File.ReadAllLines(_vault.LedgerPositions("vwap_mean_reversion"));
        Assert.Contains("\"exitReason\":\"take_profit\",\"grossPnl\":\"6\",\"fees\":\"0.4\",\"netPnl\":\"5.6\",\"netReturnPct\":\"0.56\",\"pnlCcy\":\"USDT\",\"ctType\":\"linear\"", positions[1], StringComparison.Ordinal);
        var orders = File.ReadAllLines(_vault.LedgerOrders("vwap_mean_reversion"));
        Assert.Equal(["placed", "filled", "placed", "placed", "filled", "cancelled"],
            orders.Select(o => System.Text.Json.JsonDocument.Parse(o).RootElement.GetProperty("event").GetString()));

        var readBack = LedgerReader.ReadFills(_vault, "vwap_mean_reversion");
        Assert.Equal([980m, 985.88m], readBack.Select(f => f.Px));
    }

    [Fact]
    public void Open_WithRecordedLengths_CutsLinesWrittenAfterTheState()
    {
        LedgerLengths recorded;
        using (var ledger = LedgerWriter.Open(_vault, _config, null))
        {
            var engine = new PaperTradingEngine(_config, _config.CreateStrategy(), ledger);
            engine.OnMinute(Inputs(0, 1000m));
            ledger.Sync();
            recorded = ledger.Lengths();
            engine.OnMinute(Inputs(1, 980m));                       // places an order, never recorded
            engine.OnMinute(Inputs(60 * 12, 1000m));                 // next day's signal file, never recorded
        }

        Assert.True(File.Exists(_vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 4))));
        using (LedgerWriter.Open(_vault, _config, recorded))
        {
        }

        Assert.Equal(0, new FileInfo(_vault.LedgerOrders("vwap_mean_reversion")).Length);
        Assert.Single(File.ReadAllLines(_vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3))));
        Assert.False(File.Exists(_vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 4))));
    }

    [Fact]
    public void Open_DataButNoState_IsRefused()
    {
        using (var ledger = LedgerWriter.Open(_vault, _config, null))
        {
            new PaperTradingEngine(_config, _config.CreateStrategy(), ledger).OnMinute(Inputs(0, 1000m));
        }

        var ex = Assert.Throws<InvalidOperationException>(() => LedgerWriter.Open(_vault, _config, null));
        Assert.Contains("state/executor/vwap_mean_reversion.json is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignalsFile_OtherWindow_StillOneLinePerMinute()
    {
        var config = CreateConfig(parameters: new VwapMeanReversionParameters { BandWindow = BandWindow.FourHours });
        using (var ledger = LedgerWriter.Open(_vault, config, null))
        {
            var engine = new PaperTradingEngine(config, config.CreateStrategy(), ledger);
            for (var i = 0; i < 5; i++)
            {
                engine.OnMinute(Inputs(i, 1000m));
            }
        }

        Assert.Equal(5, File.ReadAllLines(_vault.SignalsDay("vwap_mean_reversion", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3))).Length);
    }
}
