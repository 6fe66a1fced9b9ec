using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Backtest;

/// <summary>Issue 14 item 7 end to end: a backtest and the live executor of an inverse swap value it in BTC.</summary>
public sealed class BacktestInverseTests : IDisposable
{
    private const string InstId = "BTC-USD-SWAP";
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public BacktestInverseTests()
    {
        _vault = new VaultLayout(_dir.File("vault"));
        TestVault.Over(_vault).For("okx", InstId).AppendSimDays(BacktestLiveEquivalenceTests.Day1, 2, fillsPerSecond: 0.3)
            .Watermark(TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(2)) + 2_000, connection: "stopped");
    }

    [Fact]
    public void Backtest_InverseSwap_PnlAndFeesInBtcByTheInverseFormula_SameAsLive()
    {
        var yaml = BacktestLiveEquivalenceTests.StrategyYaml.Replace("BTC-USDT-SWAP", InstId, StringComparison.Ordinal);
        var config = StrategyRegistry.CreateDefault().Parse(yaml, "(test)");

        using var backtester = new Backtester(_vault, "okx", InstId, BacktestLiveEquivalenceTests.Day1, BacktestLiveEquivalenceTests.Day1.AddDays(1));
        var run = backtester.Run(config);

        Assert.True(run.Report.TradeCount >= 3, $"the fixture should trade: {run.Report.TradeCount} round trips");
        Assert.Equal("BTC", run.Report.PnlCcy);
        Assert.All(run.Sink.Fills, f => Assert.Equal(("BTC", "USD", true), (f.FeeCcy, f.NotionalCcy, f.Inverse)));
        foreach (var fill in run.Sink.Fills)
        {
            // A fee in BTC: notional 1000 USD (10 contracts × 100 USD) / fill price × rate.
            Assert.Equal(Math.Round(10m * 100m / fill.Px * fill.FeeRate, 20), Math.Round(fill.Fee, 20));
        }

        foreach (var trip in run.Report.Trades)
        {
            // contracts × ctVal × (1/entry − 1/exit) for a long, the opposite for a short, written the textbook way.
            var longPnl = (10m * 100m / trip.EntryPx) - (10m * 100m / trip.ExitPx);
            var expected = trip.Direction == "long" ? longPnl : -longPnl;
            Assert.Equal(Math.Round(expected, 20), Math.Round(trip.GrossPnl, 20));
        }

        // The live executor over the same days (what `status` and the ledger show) values it the same way.
        CalculatorRunner.RunOnce(_vault, new CalcOptions(), "okx", InstId, CancellationToken.None);
        new LiveExecutor(_vault, config).RunToEnd();
        Assert.Equal(LedgerReader.ReadFills(_vault, config.Id), run.Sink.Fills);
        var positions = File.ReadAllLines(_vault.LedgerPositions(config.Id));
        Assert.All(positions, p => Assert.Contains("\"pnlCcy\":\"BTC\",\"ctType\":\"inverse\"", p, StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
