using System.Text.Json;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.State;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution;

public sealed class PaperTradingEngineTests
{
    [Fact]
    public void OnMinute_LongSignal_PlacesPostOnlyLimitAtCloseAtMinuteEnd()
    {
        var h = new EngineHarness();
        var signal = h.Bar(0, 980m);

        Assert.Equal(SignalAction.EnterLong, signal.Action);
        var order = Assert.Single(h.Sink.Orders);
        Assert.Equal(("placed", "entry", "buy", "post_only_limit"), (order.Event, order.Kind, order.Side, order.Type));
        Assert.Equal(980m, order.Px);
        Assert.Equal(Minute(1), order.Ts);
        Assert.Equal(Minute(2), order.ExpiresTs);
        Assert.Equal(Math.Round(1000m / 980m, 12), order.Qty);
    }

    [Fact]
    public void OnTrade_TouchAtExactlyTheLimit_DoesNotFill()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(1, 100), 980m);
        h.Trade(At(1, 200), 980.5m);

        Assert.Null(h.Engine.Position);
        Assert.NotNull(h.Engine.PendingEntry);
        Assert.Empty(h.Sink.Fills);
    }

    [Fact]
    public void OnTrade_TradeStrictlyThroughTheLimit_FillsAtTheLimitWithMakerFee()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(1, 100), 979.9m);

        var fill = Assert.Single(h.Sink.Fills);
        Assert.Equal(980m, fill.Px);
        Assert.Equal("maker", fill.Liquidity);
        Assert.Equal(0.0002m, fill.FeeRate);
        Assert.Equal(0.2m, fill.Fee);
        Assert.Equal(At(1, 100), fill.Ts);
        Assert.Equal("1001", fill.TradeId);
        var position = h.Engine.Position!;
        Assert.True(position.IsLong);
        Assert.Equal(980m * 1.006m, position.TakeProfitPx);
        Assert.Equal(980m * 0.997m, position.StopLossPx);
        Assert.Equal(["placed", "filled", "placed", "placed"], h.Sink.Orders.Select(o => o.Event));
        Assert.Equal("open", Assert.Single(h.Sink.Positions).Event);
    }

    [Fact]
    public void OnTrade_ShortEntry_FillsOnlyAboveTheLimit()
    {
        var h = new EngineHarness();
        Assert.Equal(SignalAction.EnterShort, h.Bar(0, 1020m).Action);
        h.Trade(At(1, 100), 1020m);
        Assert.Null(h.Engine.Position);
        h.Trade(At(1, 200), 1020.1m);
        Assert.False(h.Engine.Position!.IsLong);
        Assert.Equal("sell", h.Sink.Fills[0].Side);
    }

    [Fact]
    public void Entry_NoCrossWithinTtl_ExpiresAtPlacedPlusSixtySeconds()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(1, 30_000), 981m);
        h.Bar(1, 990m); // event time Minute(2) = placed + 60 s: the entry expires before this decision

        var expired = h.Sink.Orders.Single(o => o is { Event: "cancelled", Kind: "entry" });
        Assert.Equal("time-to-live 60 s elapsed with no trade through 980", expired.Reason);
        Assert.Equal(Minute(2), expired.Ts);
        Assert.Null(h.Engine.PendingEntry);
        Assert.Empty(h.Sink.Fills);
    }

    [Fact]
    public void Entry_CrossAtSixtyOneSeconds_DoesNotFill()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(2, 1_000), 970m); // placed at Minute(1); 61 s later

        Assert.Empty(h.Sink.Fills);
        Assert.Contains(h.Sink.Orders, o => o is { Event: "cancelled", Kind: "entry" });
    }

    [Fact]
    public void Entry_CrossAtExactlySixtySeconds_DoesNotFill_JustBeforeDoes()
    {
        var late = new EngineHarness();
        late.Bar(0, 980m);
        late.Trade(At(2, 0), 970m);
        Assert.Empty(late.Sink.Fills);

        var inTime = new EngineHarness();
        inTime.Bar(0, 980m);
        inTime.Trade(At(1, 59_999), 970m);
        Assert.Single(inTime.Sink.Fills);
    }

    [Fact]
    public void Exit_TakeProfitCrossed_NetsExactlyPlus056Percent()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Trade(At(3, 0), 985.88m); // exactly the TP: a touch does not fill a resting maker limit
        h.Trade(At(3, 10_000), 985.89m);
        h.Engine.AdvanceTo(Minute(4));

        var close = h.Sink.Positions.Single(p => p.Event == "close");
        Assert.Equal("take_profit", close.ExitReason);
        Assert.Equal(985.88m, close.ExitPx);
        Assert.Equal(6m, close.GrossPnl);
        Assert.Equal(0.4m, close.Fees);
        Assert.Equal(5.6m, close.NetPnl);
        Assert.Equal(0.56m, close.NetReturnPct);
        var exit = h.Sink.Fills[^1];
        Assert.Equal(("maker", 0.2m, At(3, 10_000)), (exit.Liquidity, exit.Fee, exit.Ts));
        Assert.Contains(h.Sink.Orders, o => o is { Event: "cancelled", Kind: "stop_loss" });
    }

    [Fact]
    public void Exit_StopTouched_NetsExactlyMinus037PercentAtTheStopPrice()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Trade(At(3, 0), 977.06m); // a touch triggers the stop
        h.Trade(At(3, 1), 970m);    // the gap does not worsen the fill: filled at the stop price
        h.Engine.AdvanceTo(Minute(4));

        var close = h.Sink.Positions.Single(p => p.Event == "close");
        Assert.Equal("stop_loss", close.ExitReason);
        Assert.Equal(977.06m, close.ExitPx);
        Assert.Equal(-3m, close.GrossPnl);
        Assert.Equal(0.7m, close.Fees);
        Assert.Equal(-3.7m, close.NetPnl);
        Assert.Equal(-0.37m, close.NetReturnPct);
        var exit = h.Sink.Fills[^1];
        Assert.Equal(("taker", 0.5m, At(3, 0)), (exit.Liquidity, exit.Fee, exit.Ts));
    }

    [Fact]
    public void Exit_ShortTakeProfitAndStop_SameArithmetic()
    {
        var win = new EngineHarness();
        win.OpenShort();
        win.Trade(At(3, 0), 1013.87m); // TP 1020 × 0.994 = 1013.88, strictly below
        win.Engine.AdvanceTo(Minute(4));
        Assert.Equal(0.56m, win.Sink.Positions[^1].NetReturnPct);

        var loss = new EngineHarness();
        loss.OpenShort();
        loss.Trade(At(3, 0), 1023.06m); // stop 1020 × 1.003
        loss.Engine.AdvanceTo(Minute(4));
        Assert.Equal(-0.37m, loss.Sink.Positions[^1].NetReturnPct);
    }

    [Fact]
    public void FeeArithmetic_DefaultSettings_BreakEvenWinRateIs398Percent()
    {
        var x = new ExecutionSettings();
        Assert.Equal(0.56m, x.NetWinPct);
        Assert.Equal(0.37m, x.NetLossPct);
        Assert.Equal(0.37m / 0.93m * 100m, x.BreakEvenWinRatePct);
        Assert.Equal(39.8m, Math.Round(x.BreakEvenWinRatePct, 1));
    }

    [Fact]
    public void Exit_TakeProfitThenStopInTheSameMinute_StopWins()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Trade(At(3, 5_000), 986m);   // through the TP first …
        h.Trade(At(3, 50_000), 977m);  // … then the stop, same minute
        h.Bar(3, 977m);

        var close = h.Sink.Positions.Single(p => p.Event == "close");
        Assert.Equal("stop_loss", close.ExitReason);
        Assert.Equal(-0.37m, close.NetReturnPct);
        Assert.Equal(At(3, 50_000), close.Ts);
        Assert.Contains(h.Sink.Orders, o => o is { Event: "cancelled", Kind: "take_profit" });
    }

    [Fact]
    public void Exit_StopThenTakeProfitInTheSameMinute_StopWins()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Trade(At(3, 5_000), 977m);
        h.Trade(At(3, 6_000), 990m);
        h.Trade(At(4, 0), 990m);

        Assert.Equal("stop_loss", h.Sink.Positions[^1].ExitReason);
    }

    [Fact]
    public void Exit_TakeProfitOneMinuteStopTheNext_TakeProfitWins()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Trade(At(3, 59_000), 986m);
        h.Trade(At(4, 1_000), 977m);

        Assert.Equal("take_profit", Assert.Single(h.Sink.Positions, p => p.Event == "close").ExitReason);
        Assert.Null(h.Engine.Position);
    }

    [Fact]
    public void Exit_EntryTradeGapsThroughTheStop_StopsInThatMinute()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(1, 100), 975m); // fills the entry at 980 and is already through the stop 977.06
        h.Engine.AdvanceTo(Minute(2));
        Assert.Equal("stop_loss", h.Sink.Positions[^1].ExitReason);
    }

    [Fact]
    public void ExitAtVwap_Enabled_ClosesAtTheMinuteCloseAsTaker()
    {
        var h = new EngineHarness(new ExecutionSettings { ExitAtVwap = true });
        h.OpenLong();
        var inside = h.Bar(1, 990m);
        Assert.Equal(SignalAction.None, inside.Action);
        var signal = h.Bar(2, 1001m, vwap: 1000m);

        Assert.Equal(SignalAction.ExitVwap, signal.Action);
        Assert.Equal("exit_vwap", signal.ActionText);
        var close = h.Sink.Positions[^1];
        Assert.Equal(("exit_vwap", 1001m, Minute(3)), (close.ExitReason, close.ExitPx, close.Ts));
        Assert.Equal(1000m * 21m / 980m - 0.7m, close.NetPnl);
        Assert.Equal("taker", h.Sink.Fills[^1].Liquidity);
        Assert.Equal(2, h.Sink.Orders.Count(o => o.Event == "cancelled"));
    }

    [Fact]
    public void ExitAfter_HorizonElapsed_ClosesAtTheFirstMinuteCloseAfterItAsTakerAndOpensNothing()
    {
        var h = new EngineHarness(new ExecutionSettings { ExitAfter = TimeSpan.FromMinutes(1) });
        h.OpenLong(); // filled at 00:01:00.5
        var early = h.Bar(1, 990m); // its close 00:02:00 is 59.5 s after the fill
        Assert.Equal(SignalAction.None, early.Action);
        Assert.NotNull(h.Engine.Position);

        var signal = h.Bar(2, 985m); // 119.5 s: the horizon passed; 985 is also a long signal, which must not enter
        Assert.Equal(SignalAction.ExitTime, signal.Action);
        Assert.Equal("exit_time", signal.ActionText);
        Assert.Equal("horizon: exit long p1 at close 985, held 119 s since the fill", signal.Reason);
        var close = h.Sink.Positions[^1];
        Assert.Equal(("exit_time", 985m, Minute(3)), (close.ExitReason, close.ExitPx, close.Ts));
        Assert.Equal(1000m * 5m / 980m - 0.7m, close.NetPnl); // maker in 0.2, taker out 0.5
        Assert.Equal("taker", h.Sink.Fills[^1].Liquidity);
        Assert.Null(h.Engine.Position);
        Assert.Null(h.Engine.PendingEntry);
    }

    [Fact]
    public void ExitAfter_StopInTheSameMinute_StopWinsOverTheHorizon()
    {
        var h = new EngineHarness(new ExecutionSettings { ExitAfter = TimeSpan.FromMinutes(1) });
        h.OpenLong();
        h.Bar(1, 990m);
        h.Trade(At(2, 10_000), 970m); // through the stop 977.06 within minute 2
        var signal = h.Bar(2, 985m);
        Assert.Equal("stop_loss", h.Sink.Positions[^1].ExitReason);
        Assert.NotEqual(SignalAction.ExitTime, signal.Action);
    }

    [Fact]
    public void ExitAtVwap_Disabled_KeepsThePosition()
    {
        var h = new EngineHarness();
        h.OpenLong();
        h.Bar(1, 1001m);
        Assert.NotNull(h.Engine.Position);
    }

    [Fact]
    public void Gate_SignalWhilePositionOpen_IsSkippedWithReason()
    {
        var h = new EngineHarness();
        h.OpenLong();
        var signal = h.Bar(1, 979m);
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("long signal skipped: position p1 open", signal.Reason);
        Assert.Single(h.Sink.Orders, o => o.Kind == "entry" && o.Event == "placed");
    }

    [Fact]
    public void Gate_SignalWhileEntryPending_IsSkipped()
    {
        var h = new EngineHarness(new ExecutionSettings { EntryTtl = TimeSpan.FromMinutes(5) });
        h.Bar(0, 980m);
        var signal = h.Bar(1, 1020m);
        Assert.Equal("short signal skipped: entry order o1 pending", signal.Reason);
    }

    [Fact]
    public void Gate_DailyMaxTrades_BlocksUntilTheNextUtcDay()
    {
        var h = new EngineHarness(new ExecutionSettings { MaxTradesPerDay = 1 });
        h.OpenLong();
        h.Trade(At(3, 0), 990m); // take profit
        h.Bar(3, 990m);
        Assert.Null(h.Engine.Position);

        var blocked = h.Bar(4, 980m);
        Assert.Equal("long signal skipped: daily max trades 1 reached", blocked.Reason);

        var nextDay = (int)((TradeTimeNextDay() - T0) / 60_000);
        Assert.Equal(SignalAction.EnterLong, h.Bar(nextDay, 980m).Action);
    }

    [Fact]
    public void Gate_DailyMaxLoss_BlocksAfterTheLossReachesTheLimit()
    {
        var h = new EngineHarness(new ExecutionSettings { MaxDailyLossPct = 0.37m });
        h.OpenLong();
        h.Trade(At(3, 0), 977m);
        h.Bar(3, 977m);
        Assert.Equal(-3.7m, h.Sink.Positions[^1].NetPnl);

        var blocked = h.Bar(4, 980m);
        Assert.Equal("long signal skipped: daily loss 3.7 USDT = 0.37 % of notional ≥ 0.37 %", blocked.Reason);
    }

    [Fact]
    public void Gate_DailyLossBelowTheLimit_StillTrades()
    {
        var h = new EngineHarness(new ExecutionSettings { MaxDailyLossPct = 0.38m });
        h.OpenLong();
        h.Trade(At(3, 0), 977m);
        h.Bar(3, 977m);
        Assert.Equal(SignalAction.EnterLong, h.Bar(4, 980m).Action);
    }

    [Fact]
    public void OnMinute_SameMinuteTwice_IsIgnored()
    {
        var h = new EngineHarness();
        h.Bar(0, 1000m);
        h.Engine.OnMinute(Inputs(0, 980m));
        Assert.Single(h.Sink.Signals);
        Assert.Empty(h.Sink.Orders);
    }

    [Fact]
    public void OnMinute_AfterALaterTrade_IsAWiringError()
    {
        var h = new EngineHarness();
        h.Trade(At(2, 0), 1000m);
        Assert.Throws<InvalidOperationException>(() => h.Engine.OnMinute(Inputs(0, 980m)));
    }

    [Fact]
    public void OnTrade_OlderThanTheLastEvent_IsCountedAndIgnored()
    {
        var h = new EngineHarness();
        h.Bar(0, 980m);
        h.Trade(At(0, 30_000), 900m); // before the order was placed
        Assert.Equal(1, h.Engine.LateTrades);
        Assert.Empty(h.Sink.Fills);
    }

    [Fact]
    public void Snapshot_OpenPositionThroughJson_ContinuesInANewEngine()
    {
        var first = new EngineHarness();
        first.OpenLong();
        first.Bar(1, 990m);
        var json = JsonSerializer.Serialize(first.Engine.Snapshot(), StateJson.Options);

        var restored = JsonSerializer.Deserialize<EngineState>(json, StateJson.Options)!;
        var second = new EngineHarness(state: restored);
        Assert.Equal(first.Engine.Position, second.Engine.Position);
        Assert.Equal(Minute(1), second.Engine.LastMinuteMs);

        second.Trade(At(2, 1_000), 986m);
        second.Bar(2, 990m);
        var close = Assert.Single(second.Sink.Positions);
        Assert.Equal(("close", "p1", 0.56m), (close.Event, close.PositionId, close.NetReturnPct));
        Assert.Equal("f2", second.Sink.Fills[0].FillId);
    }

    [Fact]
    public void Snapshot_HaltInProgress_SurvivesRestore()
    {
        var first = new EngineHarness();
        first.Bar(0, 1000m, move: 20m);
        var state = JsonSerializer.Deserialize<EngineState>(JsonSerializer.Serialize(first.Engine.Snapshot(), StateJson.Options), StateJson.Options);

        var second = new EngineHarness(state: state);
        Assert.StartsWith("halt: 5s move 20 bps at 12:00", second.Bar(5, 980m).Reason, StringComparison.Ordinal);
        Assert.Equal(SignalAction.EnterLong, second.Bar(10, 980m).Action);
    }

    [Fact]
    public void OnTrade_NothingToFill_AllocatesNothing()
    {
        var h = new EngineHarness();
        h.OpenLong(); // an open position with its exits: the common case while in a trade
        var trades = Enumerable.Range(0, 20_000)
            .Select(i => new TradeTick(At(2, i), 980m + ((i % 50) / 10m), 1m, "buy", "t"))
            .ToArray();
        for (var i = 0; i < 1000; i++)
        {
            h.Engine.OnTrade(trades[i]); // warm-up
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < trades.Length; i++)
        {
            h.Engine.OnTrade(trades[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotNull(h.Engine.Position);
    }

    private static long TradeTimeNextDay() => new DateTimeOffset(2025, 3, 4, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
