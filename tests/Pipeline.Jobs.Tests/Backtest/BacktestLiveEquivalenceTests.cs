using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Compact;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Backtest;

public sealed class BacktestLiveEquivalenceTests : IDisposable
{
    internal static readonly DateOnly Day1 = new(2026, 3, 1);

    /// <summary>Looser than the defaults so three simulated days trade a few dozen times.</summary>
    internal const string StrategyYaml = """
        id: bt_test
        strategy: vwap_mean_reversion
        exchange: okx
        instId: BTC-USDT-SWAP
        parameters:
          bandMultiplier: 1
          adxMax: 35
          adxNoTrade: 60
          haltMoveBps: 60
          takeProfitPct: 0.3
          stopLossPct: 0.2
        """;

    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public BacktestLiveEquivalenceTests()
    {
        _vault = new VaultLayout(_dir.File("vault"));
        TestVault.Over(_vault).AppendSimDays(Day1, 3, fillsPerSecond: 0.3);
        // The exporter has everything up to the end of day 3: all three days are final.
        TestVault.Over(_vault).Watermark(TradeTime.DayStartMs(Day1.AddDays(3)) + 2_000, connection: "stopped");
    }

    [Fact]
    public void Backtest_ThreeDays_SameFillsAndPnlAsLiveJobs()
    {
        var config = StrategyRegistry.CreateDefault().Parse(StrategyYaml, "(test)");

        // Live: `pipeline calc` then `pipeline signal`, in-process.
        CalculatorRunner.RunOnce(_vault, new CalcOptions(), TestVault.Exchange, TestVault.InstId, CancellationToken.None);
        var pass = new LiveExecutor(_vault, config).RunToEnd(); // two days per pass, state written between: restart must be exact too
        var liveFills = LedgerReader.ReadFills(_vault, config.Id);
        var live = PerformanceReport.FromFills(liveFills);

        using var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day1, Day1.AddDays(2));
        var run = backtester.Run(config);

        Assert.True(live.TradeCount >= 5, $"the fixture should trade: {live.TradeCount} round trips");
        Assert.Equal(pass.Minutes, run.Minutes);
        Assert.Equal(liveFills, run.Sink.Fills);
        Assert.Equal(live.NetPnl, run.Report.NetPnl);
        Assert.Equal(live.FeesPaid, run.Report.FeesPaid);
        Assert.Equal(live.Trades, run.Report.Trades);
    }

    [Fact]
    public void Backtest_CompactedDays_SameResultAsJsonl()
    {
        var config = StrategyRegistry.CreateDefault().Parse(StrategyYaml, "(test)");
        BacktestRun jsonl;
        using (var backtester = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day1, Day1.AddDays(2)))
        {
            jsonl = backtester.Run(config);
        }

        var report = Compactor.Create(_vault, new CompactionOptions { IncludeDerived = false }).Run();
        Assert.Equal(3, report.Compacted);

        using var compacted = new Backtester(_vault, TestVault.Exchange, TestVault.InstId, Day1, Day1.AddDays(2));
        var parquet = compacted.Run(config);

        Assert.Equal(jsonl.Trades, parquet.Trades);
        Assert.Equal(jsonl.Sink.Fills, parquet.Sink.Fills);
        Assert.Equal(jsonl.Report.NetPnl, parquet.Report.NetPnl);
    }

    public void Dispose() => _dir.Dispose();
}
