using System.Globalization;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Risk;

/// <summary>The risk gate wired into the paper engine: blocks entries with its reason in the signal log, and flattens.</summary>
public sealed class PaperRiskTests
{
    private int _tradeId;

    private static StrategyConfig Config(RiskLimits risk) => CreateConfig() with { Risk = risk };

    private void Trade(PaperRun run, long ts, decimal px) =>
        run.Engine.OnTrade(new TradeTick(ts, px, 1m, "sell", (++_tradeId).ToString(CultureInfo.InvariantCulture)));

    /// <summary>A long at 980 (signal minute 0, filled in minute 1) stopped at 977.06: −3 − 0.2 − 0.5 = −3.7 USDT.</summary>
    private void LosingRoundTrip(PaperRun run)
    {
        run.Engine.OnMinute(Inputs(0, 980m));
        Trade(run, At(1, 500), 979.5m);
        run.Engine.OnMinute(Inputs(1, 985m));
        Trade(run, At(2, 1000), 977.06m);
        run.Engine.OnMinute(Inputs(2, 978m));
        Assert.Equal("stop_loss", run.Sink.Positions[^1].ExitReason);
    }

    [Fact]
    public void ForcedLoss_OverTheDailyLossLimit_SkipsTheNextEntry_AndStaysHaltedAfterARestart()
    {
        using var dir = new TempDir();
        var vault = new VaultLayout(dir.Path);
        var limits = new RiskLimits { DailyLossLimit = 3.5m };
        var run = new PaperRun(Config(limits), risk: RiskStore.Load(vault, "vwap_mean_reversion", limits, "BTC-USDT-SWAP"));
        LosingRoundTrip(run);

        run.Engine.OnMinute(Inputs(3, 980m)); // a long signal
        var skipped = run.Sink.Signals[^1];
        Assert.Equal(SignalAction.None, skipped.Action);
        Assert.StartsWith("long signal skipped: risk daily_loss: daily loss 3.7", skipped.Reason, StringComparison.Ordinal);
        RiskStore.Save(vault, run.Risk);

        // A new process: a fresh engine and strategy, the gate from the file.
        var restarted = new PaperRun(Config(limits), risk: RiskStore.Load(vault, "vwap_mean_reversion", limits, "BTC-USDT-SWAP"));
        restarted.Engine.OnMinute(Inputs(10, 980m));
        Assert.StartsWith("long signal skipped: risk daily_loss", restarted.Sink.Signals[^1].Reason, StringComparison.Ordinal);
        Assert.Empty(restarted.Sink.Orders);
    }

    [Fact]
    public void ForcedLoss_BelowTheDailyLossLimit_EntersAgain()
    {
        var run = new PaperRun(Config(new RiskLimits { DailyLossLimit = 3.8m }));
        LosingRoundTrip(run);
        run.Engine.OnMinute(Inputs(3, 980m));
        Assert.Equal(SignalAction.EnterLong, run.Sink.Signals[^1].Action);
    }

    [Fact]
    public void VolatilityHalt_FromLivePricesInsideTheMinute_SkipsTheSignalAtItsClose()
    {
        // The minute's own maxMove5sBps says 0 (the strategy's filter sees nothing); the trades moved 0.2 % in 2 s.
        var run = new PaperRun(Config(new RiskLimits()));
        Trade(run, At(0, 30_000), 1000m);
        Trade(run, At(0, 32_000), 998m);
        run.Engine.OnMinute(Inputs(0, 980m, move: 0m));

        var signal = run.Sink.Signals[^1];
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("long signal skipped: risk volatility: volatility halt: 0.2004 % move within 5 s at 2025-03-03T12:00:32.000Z until 2025-03-03T12:10:32.000Z",
            signal.Reason);
        Assert.Empty(run.Sink.Orders);

        run.Engine.OnMinute(Inputs(10, 980m)); // decided at 12:11, after the halt
        Assert.Equal(SignalAction.EnterLong, run.Sink.Signals[^1].Action);
    }

    [Fact]
    public void DefaultLimits_CalmMarket_TradeAsWithoutTheGate()
    {
        var run = new PaperRun(Config(RiskLimits.Default));
        LosingRoundTrip(run);
        run.Engine.OnMinute(Inputs(3, 980m));
        Assert.Equal(SignalAction.EnterLong, run.Sink.Signals[^1].Action);
    }

    [Fact]
    public void KillSwitch_FlattensAtTheNextTrade_AndTheLedgerSaysWhy()
    {
        var gate = new RiskGate("vwap_mean_reversion", RiskLimits.Default, instId: "BTC-USDT-SWAP");
        var run = new PaperRun(Config(RiskLimits.Default), risk: gate);
        run.Engine.OnMinute(Inputs(0, 980m));
        Trade(run, At(1, 500), 979.5m);
        Assert.NotNull(run.Engine.Position);

        gate.SetKill(new KillSwitch { Strategy = "vwap_mean_reversion", Active = true, Reason = "test", SetAtMs = At(1, 600) });
        Trade(run, At(1, 2000), 981m);

        Assert.Null(run.Engine.Position);
        var close = run.Sink.Positions[^1];
        Assert.Equal(("risk_flatten", 981m), (close.ExitReason, close.ExitPx));
        var exit = run.Sink.Fills[^1];
        Assert.Equal(("taker", 0.5m), (exit.Liquidity, exit.Fee)); // 1000 × 0.05 %
        Assert.Contains(run.Sink.Orders, o => o is { Event: "filled", Kind: "risk_flatten" } && o.Reason.StartsWith("risk: kill switch set at", StringComparison.Ordinal));
        Assert.Contains(run.Sink.Orders, o => o is { Event: "cancelled", Kind: "take_profit" });

        run.Engine.OnMinute(Inputs(1, 980m));
        Assert.StartsWith("long signal skipped: risk kill_switch", run.Sink.Signals[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KillSwitch_PendingEntry_IsCancelledAtTheNextTrade()
    {
        var gate = new RiskGate("vwap_mean_reversion", RiskLimits.Default, instId: "BTC-USDT-SWAP");
        var run = new PaperRun(Config(RiskLimits.Default), risk: gate);
        run.Engine.OnMinute(Inputs(0, 980m));
        gate.SetKill(new KillSwitch { Strategy = "vwap_mean_reversion", Active = true, SetAtMs = At(1, 100) });

        Trade(run, At(1, 500), 979.5m); // would have filled the entry

        Assert.Null(run.Engine.PendingEntry);
        Assert.Null(run.Engine.Position);
        Assert.Contains(run.Sink.Orders, o => o is { Event: "cancelled", Kind: "entry" } && o.Reason.StartsWith("risk: kill switch", StringComparison.Ordinal));
    }
}
