using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Execution.Venue;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Venue;

/// <summary>The venue executor's orders, ledger, restarts and risk against a scripted venue.</summary>
public sealed class VenueExecutorTests
{
    [Fact]
    public async Task Entry_OnASignal_IsInTheLedgerAsSendingBeforeTheVenueSeesIt()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        var seenInLedger = false;
        h.Scripted.OnPlace = request =>
        {
            // the process could die right now: the ledger on disk must already know the id
            var lines = File.ReadAllLines(h.Vault.LedgerOrders(h.Config.Id));
            seenInLedger = lines.Any(l => l.Contains($"\"orderId\":\"{request.ClientOrderId}\"", StringComparison.Ordinal) &&
                                          l.Contains("\"event\":\"sending\"", StringComparison.Ordinal));
        };
        h.Signal(0);
        await h.StartAsync();

        var step = await h.StepAsync();

        Assert.True(seenInLedger);
        Assert.Equal((1, 1), (step.Minutes, step.OrdersSent));
        var sent = Assert.Single(h.Scripted.Placed);
        Assert.Equal(new VenueOrderRequest(h.Config.InstId, entryId, VenueSide.Buy, VenueOrderType.PostOnly, VenueExecutorHarness.Qty980, 980m, false), sent);
        Assert.Equal([(entryId, "sending"), (entryId, "placed")], h.Orders().Select(o => (o.Id, o.Event)));
        Assert.Equal("long", h.Signals().Single().Action);
    }

    [Fact]
    public async Task Restart_AfterACrashBetweenSendAndAck_SendsNothingTwiceAndRecordsTheLaterFillOnce()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        var before = File.ReadAllBytes(h.Vault.VenueState(h.Config.Id));
        h.Scripted.LoseNextAck = true; // the venue takes the order; the process never learns it
        await h.StepAsync();
        await h.Executor.DisposeAsync();
        File.WriteAllBytes(h.Vault.VenueState(h.Config.Id), before); // killed before its state write: minute 0 is decided again

        await h.StartAsync();
        await h.StepAsync();
        h.Scripted.Fill(entryId, 980m, ts: At(1, 20_000));
        await h.StepAsync();
        await h.RestartAsync();
        await h.StepAsync();

        Assert.Single(h.Scripted.Placed, p => p.ClientOrderId == entryId);
        Assert.Single(h.Scripted.Orders, o => o.ClientOrderId == entryId);
        Assert.Equal(["sending", "placed", "filled"], h.Orders().Where(o => o.Id == entryId).Select(o => o.Event));
        var fill = Assert.Single(h.Fills(), f => f.Kind == "entry");
        Assert.Equal((entryId, 980m, VenueExecutorHarness.Qty980, "maker"), (fill.OrderId, fill.Px, fill.Qty, fill.Liquidity));
        Assert.Equal("long", Assert.Single(h.Signals()).Action); // the replayed minute is not written twice
    }

    [Fact]
    public async Task Restart_AfterACrashBeforeTheRequestLeft_MarksItNeverReachedAndDoesNotResend()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        h.Scripted.OnPlace = _ => throw new IOException("process killed before the request left");
        await Assert.ThrowsAsync<IOException>(h.StepAsync);
        h.Scripted.OnPlace = null;

        await h.RestartAsync();
        await h.StepAsync();

        Assert.Empty(h.Scripted.Placed);
        Assert.Equal([(entryId, "sending", ""), (entryId, "cancelled", "never reached the venue")],
            h.Orders().Select(o => (o.Id, o.Event, o.Event == "sending" ? "" : o.Reason)));
        Assert.Equal("long", Assert.Single(h.Signals()).Action);
    }

    [Fact]
    public async Task Restart_StateOlderThanTheLedger_WritesNoLineTwice()
    {
        await using var h = new VenueExecutorHarness();
        await OpenLongAsync(h);
        var before = File.ReadAllBytes(h.Vault.VenueState(h.Config.Id));
        h.Scripted.MarketPx = 976.5m;
        h.Scripted.Now = At(1, 45_050);
        h.Trade(1, 45_000, 977.0m); // the stop
        h.Fixture.Minute(Minute(1), 977m);
        h.Trade(2, 1_000, 977m);
        await h.StepAsync();
        string[] Files() =>
        [
            .. File.ReadAllLines(h.Vault.LedgerOrders(h.Config.Id)), .. File.ReadAllLines(h.Vault.LedgerFills(h.Config.Id)),
            .. File.ReadAllLines(h.Vault.LedgerPositions(h.Config.Id)), .. h.Signals().Select(x => x.Action + x.Reason),
        ];
        var written = Files();
        await h.Executor.DisposeAsync();
        File.WriteAllBytes(h.Vault.VenueState(h.Config.Id), before); // the step's state write was lost

        await h.StartAsync();
        await h.StepAsync();

        Assert.Equal(written, Files());
        Assert.Equal(4, h.Scripted.Placed.Count); // entry, take-profit, stop, the entry of minute 1: nothing again
        Assert.Equal(["long", "long"], h.Signals().Select(x => x.Action));
    }

    [Fact]
    public async Task Step_NothingNew_WritesNoState()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        var state = File.ReadAllText(h.Vault.VenueState(h.Config.Id));
        h.Time.Advance(TimeSpan.FromSeconds(1));

        await h.StepAsync();
        Assert.Equal(state, File.ReadAllText(h.Vault.VenueState(h.Config.Id)));
        h.Trade(1, 1_000, 985m);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.StepAsync();
        Assert.NotEqual(state, File.ReadAllText(h.Vault.VenueState(h.Config.Id)));
    }

    [Fact]
    public async Task Start_AFillThatHappenedWhileDown_IsRecordedFromTheVenuesFillHistory()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        await h.Executor.DisposeAsync();
        while (h.Venue.Events.TryRead(out _))
        {
            // the stream of the dead process is gone
        }

        var fill = h.Scripted.Fill(entryId, 980m, ts: At(1, 20_000), emit: false);

        await h.StartAsync();

        var recorded = Assert.Single(h.Fills());
        Assert.Equal(("scripted:" + fill.TradeId, fill.TradeId, "entry"), (recorded.FillId, recorded.TradeId, recorded.Kind));
        Assert.Equal("open", Assert.Single(h.Positions()).GetProperty("event").GetString());
        Assert.Equal(VenueExecutorHarness.Qty980, h.Executor.Status.Position);
        Assert.Empty(h.Executor.Status.Halts);
    }

    [Fact]
    public async Task Place_UnknownOutcome_IsQueriedNextStepAndNeverResent()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        h.Scripted.LoseNextAck = true;

        await h.StepAsync();
        Assert.Equal(["sending"], h.Orders().Select(o => o.Event));
        await h.StepAsync();

        Assert.Single(h.Scripted.Placed);
        Assert.Contains(entryId, h.Scripted.Queried);
        Assert.Equal(["sending", "placed"], h.Orders().Select(o => o.Event));
    }

    [Fact]
    public async Task Place_UnknownOutcomeAndTheVenueNeverGotIt_IsCancelledNotResent()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        await h.StartAsync();
        h.Scripted.PlaceFailures.Enqueue(new VenueException(VenueErrorKind.Unknown, "timeout"));

        await h.StepAsync();
        await h.StepAsync();

        Assert.Single(h.Scripted.Placed);
        Assert.Equal(("cancelled", "never reached the venue"), (h.Orders()[^1].Event, h.Orders()[^1].Reason));
    }

    [Fact]
    public async Task EntryFill_PlacesAReduceOnlyPostOnlyTakeProfit()
    {
        await using var h = new VenueExecutorHarness();
        await OpenLongAsync(h);

        var tp = h.Scripted.Placed[^1];
        Assert.Equal(new VenueOrderRequest(h.Config.InstId, h.IdOf(0, ClientOrderIds.TakeProfit), VenueSide.Sell, VenueOrderType.PostOnly,
            VenueExecutorHarness.Qty980, 985.88m, true), tp); // 980 × 1.006
        Assert.Equal("open", Assert.Single(h.Positions()).GetProperty("event").GetString());
    }

    [Fact]
    public async Task EntryFill_OrderUpdateBeforeItsFill_KeepsThePositionAndPlacesTheTakeProfit()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        var fill = h.Scripted.Fill(entryId, 980m, ts: At(1, 20_000), emit: false);
        h.Scripted.Emit(new VenueOrderUpdate(h.Scripted.Order(entryId)!)); // "filled", its fill still on the way

        await h.StepAsync();
        h.Scripted.Emit(new VenueFillUpdate(fill));
        await h.StepAsync();

        Assert.Equal(h.IdOf(0, ClientOrderIds.TakeProfit), h.Scripted.Placed[^1].ClientOrderId);
        Assert.Equal(VenueExecutorHarness.Qty980, h.Executor.Status.Position);
        Assert.Single(h.Fills());
    }

    [Fact]
    public async Task StopLoss_ATradeThroughTheStop_SendsAMarketReduceOnlyExitAndCancelsTheTakeProfit()
    {
        await using var h = new VenueExecutorHarness();
        await OpenLongAsync(h);
        h.Trade(1, 40_000, 977.1m); // stop 977.06: not yet
        await h.StepAsync();
        Assert.Equal(2, h.Scripted.Placed.Count);
        h.Scripted.MarketPx = 976.5m; // the book, below the stop
        h.Scripted.Now = At(1, 45_050);
        h.Trade(1, 45_000, 977.0m);

        await h.StepAsync();

        var exit = h.Scripted.Placed[^1];
        Assert.Equal(new VenueOrderRequest(h.Config.InstId, h.IdOf(0, ClientOrderIds.StopLoss), VenueSide.Sell, VenueOrderType.Market,
            VenueExecutorHarness.Qty980, 977.0m, true), exit);
        Assert.Contains(h.IdOf(0, ClientOrderIds.TakeProfit), h.Scripted.Canceled);
        Assert.Equal(VenueOrderStatus.Canceled, h.Scripted.Order(h.IdOf(0, ClientOrderIds.TakeProfit))!.Status);
        var trip = Assert.Single(PerformanceReport.FromFills(h.Fills()).Trades);
        Assert.Equal(("stop_loss", 976.5m), (trip.ExitReason, trip.ExitPx));
        // hand-worked: 1000/980 BTC × (976.5 − 980) = −3.5714…; fees 0.2 maker + 0.4982… taker
        Assert.Equal(-3.5714285714m, Math.Round(trip.GrossPnl, 10));
        Assert.Equal(0m, h.Executor.Status.Position);
        Assert.Equal("close", h.Positions()[^1].GetProperty("event").GetString());
        Assert.Equal("stop_loss", h.Positions()[^1].GetProperty("exitReason").GetString());
    }

    [Fact]
    public async Task Entry_NotFilledWithinItsTimeToLive_IsCancelled()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync(); // placed at 12:01:00, expires at 12:02:00
        h.Trade(1, 59_999, 985m);
        await h.StepAsync();
        Assert.DoesNotContain(entryId, h.Scripted.Canceled);

        h.Trade(2, 0, 985m);
        await h.StepAsync();

        Assert.Contains(entryId, h.Scripted.Canceled);
        var last = h.Orders()[^1];
        Assert.Equal((entryId, "cancelled"), (last.Id, last.Event));
        Assert.StartsWith("time-to-live 60 s elapsed", last.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Fills());
    }

    [Fact]
    public async Task DailyLossHalt_AfterAForcedLoss_StaysAcrossARestart()
    {
        var config = CreateConfig() with { Risk = new RiskLimits { VolatilityHaltPct = null, DailyLossLimit = 2m } };
        await using var h = new VenueExecutorHarness(config);
        await OpenLongAsync(h);
        h.Scripted.MarketPx = 976m;
        h.Trade(1, 45_000, 976m); // stop: −4.08 USDT − fees ≥ 2 USDT
        await h.StepAsync();
        Assert.Contains(h.Executor.Status.Halts, x => x.StartsWith("daily_loss", StringComparison.Ordinal));

        await h.RestartAsync();
        h.Signal(2);
        await h.StepAsync();

        Assert.Contains(h.Executor.Status.Halts, x => x.StartsWith("daily_loss", StringComparison.Ordinal));
        var (action, reason) = h.Signals()[^1];
        Assert.Equal("none", action);
        Assert.StartsWith("long signal skipped: risk daily_loss", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Scripted.Placed, p => p.ClientOrderId == h.IdOf(2, ClientOrderIds.Entry));
    }

    [Fact]
    public async Task DailyMaxTrades_ReachedBeforeARestart_SkipsTheNextEntryWithThePaperEnginesReason()
    {
        var config = CreateConfig(new Pipeline.Jobs.Strategies.ExecutionSettings { MaxTradesPerDay = 1 }) with
        {
            Risk = new RiskLimits { VolatilityHaltPct = null },
        };
        await using var h = new VenueExecutorHarness(config);
        await OpenLongAsync(h);
        h.Scripted.MarketPx = 976m;
        h.Trade(1, 45_000, 976m); // stopped out: the day's one trade is done
        await h.StepAsync();
        Assert.Equal("close", h.Positions()[^1].GetProperty("event").GetString());

        await h.RestartAsync(); // the day's entries come back from the ledger
        h.Signal(2);
        await h.StepAsync();

        Assert.Equal(("none", "long signal skipped: daily max trades 1 reached"), h.Signals()[^1]);
        Assert.DoesNotContain(h.Scripted.Placed, p => p.ClientOrderId == h.IdOf(2, ClientOrderIds.Entry));
    }

    [Fact]
    public async Task KillSwitch_WrittenWhileRunning_CancelsAndFlattensWithinOneStep()
    {
        await using var h = new VenueExecutorHarness();
        await OpenLongAsync(h);
        h.Scripted.MarketPx = 979m;
        RiskStore.KillFile(h.Vault, h.Config.Id).Write(new KillSwitch { Strategy = h.Config.Id, Active = true, Reason = "test", SetAtMs = T0 + 1 });

        await h.StepAsync(); // no new trade or minute: the kill file alone

        var flatten = h.Scripted.Placed[^1];
        Assert.Equal((h.IdOf(0, ClientOrderIds.RiskFlatten), VenueOrderType.Market, true), (flatten.ClientOrderId, flatten.Type, flatten.ReduceOnly));
        Assert.Equal(VenueOrderStatus.Canceled, h.Scripted.Order(h.IdOf(0, ClientOrderIds.TakeProfit))!.Status);
        Assert.Equal(0m, h.Scripted.Position);
        Assert.Equal("risk_flatten", h.Positions()[^1].GetProperty("exitReason").GetString());
        Assert.Contains(h.Executor.Status.Halts, x => x.StartsWith("kill_switch", StringComparison.Ordinal));

        h.Signal(2);
        await h.StepAsync();
        Assert.StartsWith("long signal skipped: risk kill_switch", h.Signals()[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(3, h.Scripted.Placed.Count); // entry, take-profit, flatten: nothing after
    }

    [Fact]
    public async Task KillSwitch_WithOnlyAPendingEntry_CancelsItAndSendsNothing()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        RiskStore.KillFile(h.Vault, h.Config.Id).Write(new KillSwitch { Strategy = h.Config.Id, Active = true, SetAtMs = T0 + 1 });

        await h.StepAsync();

        Assert.Single(h.Scripted.Placed);
        Assert.Equal(VenueOrderStatus.Canceled, h.Scripted.Order(entryId)!.Status);
        Assert.Equal(("cancelled", "risk: kill switch set at 2025-03-03T12:00:00.001Z"), (h.Orders()[^1].Event, h.Orders()[^1].Reason));
        Assert.False((await h.StepAsync()).PositionOpen);
    }

    [Fact]
    public async Task Run_BadKeyOnPlace_ThrowsAuthOnceAndDoesNotRetry()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        h.Scripted.PlaceFailures.Enqueue(new VenueException(VenueErrorKind.Auth, "scripted: API-key format invalid", "-2014"));
        var executor = h.Create();

        var error = await Assert.ThrowsAsync<VenueException>(() => executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(VenueErrorKind.Auth, error.Kind);
        Assert.Single(h.Scripted.Placed);
        Assert.Equal("scripted: API-key format invalid", executor.Status.LastError);
    }

    [Fact]
    public async Task Run_BadKeyOnConnect_ThrowsBeforeAnyOrder()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        h.Scripted.ConnectFailure = new VenueException(VenueErrorKind.Auth, "scripted: invalid signature", "-1022");

        var error = await Assert.ThrowsAsync<VenueException>(() => h.Create().RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(VenueErrorKind.Auth, error.Kind);
        Assert.Equal(1, h.Scripted.ConnectCalls);
        Assert.Empty(h.Scripted.Placed);
    }

    [Fact]
    public async Task Start_VenuePositionTheLedgerDoesNotKnow_HaltsEntriesWithAnError()
    {
        await using var h = new VenueExecutorHarness();
        h.Scripted.SetPosition(0.5m, 990m);
        h.Signal(0);

        var executor = await h.StartAsync();

        Assert.Contains(executor.Status.Halts, x => x.StartsWith("position mismatch: scripted holds 0.5 BTC-USDT-SWAP, the ledger 0", StringComparison.Ordinal));
        Assert.StartsWith("position mismatch", executor.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(0.5m, executor.Status.Position);
        await h.StepAsync();
        Assert.StartsWith("long signal skipped: position mismatch", h.Signals()[^1].Reason, StringComparison.Ordinal);
        Assert.Empty(h.Scripted.Placed);

        h.Scripted.SetPosition(0m); // closed by hand: the halt ends at the next reconciliation
        h.Scripted.Emit(new VenueStreamGap("test", 0));
        await h.StepAsync();
        Assert.Empty(h.Executor.Status.Halts);
    }

    [Fact]
    public async Task StreamGap_FillMissedByTheStream_IsRecordedByTheReconciliation()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        h.Scripted.Fill(h.IdOf(0, ClientOrderIds.Entry), 980m, ts: At(1, 20_000), emit: false);
        await h.StepAsync();
        Assert.Empty(h.Fills());

        h.Scripted.Emit(new VenueStreamGap("reconnected", At(1, 0)));
        await h.StepAsync();

        Assert.Single(h.Fills());
        Assert.Equal(h.IdOf(0, ClientOrderIds.TakeProfit), h.Scripted.Placed[^1].ClientOrderId);
    }

    [Fact]
    public async Task Start_UnknownOpenOrderWithThisStrategysIds_IsCancelled()
    {
        await using var h = new VenueExecutorHarness();
        var stray = h.IdOf(5, ClientOrderIds.Entry);
        await h.Venue.PlaceAsync(new VenueOrderRequest(h.Config.InstId, stray, VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, 900m, false), CancellationToken.None);

        await h.StartAsync();

        Assert.Contains(stray, h.Scripted.Canceled);
        Assert.Empty(h.Orders());
    }

    [Fact]
    public async Task Entry_RejectedByTheVenue_IsFinalForItsMinuteWithTheVenuesReason()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        await h.StartAsync();
        h.Scripted.PlaceFailures.Enqueue(new VenueException(VenueErrorKind.Rejected, "scripted: Order would immediately match and take.", "-5022"));

        await h.StepAsync();
        h.Trade(1, 30_000, 985m);
        await h.StepAsync();

        Assert.Single(h.Scripted.Placed);
        Assert.Equal(("rejected", "scripted: Order would immediately match and take. (code -5022)"), (h.Orders()[^1].Event, h.Orders()[^1].Reason));
        Assert.EndsWith("the venue rejected the entry", h.Signals()[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Executor.Status.OrdersRejected);
        Assert.False((await h.StepAsync()).PositionOpen);
    }

    [Fact]
    public async Task StopLoss_ExitRejected_IsRetriedNextStepWithTheNextAttempt()
    {
        await using var h = new VenueExecutorHarness();
        await OpenLongAsync(h);
        h.Scripted.PlaceFailures.Enqueue(new VenueException(VenueErrorKind.Rejected, "scripted: margin check failed", "-2019"));
        h.Trade(1, 45_000, 977.0m);

        await h.StepAsync();
        Assert.Equal(h.IdOf(0, ClientOrderIds.StopLoss, 0), h.Scripted.Placed[^1].ClientOrderId);
        Assert.NotEqual(0m, h.Scripted.Position);
        await h.StepAsync();

        Assert.Equal(h.IdOf(0, ClientOrderIds.StopLoss, 1), h.Scripted.Placed[^1].ClientOrderId);
        Assert.Equal(0m, h.Scripted.Position);
        Assert.Equal("stop_loss", h.Positions()[^1].GetProperty("exitReason").GetString());
    }

    [Fact]
    public async Task Entry_PartlyFilledThenExpired_KeepsTheFilledPartAsThePosition()
    {
        await using var h = new VenueExecutorHarness();
        var entryId = h.IdOf(0, ClientOrderIds.Entry);
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        h.Scripted.Now = At(1, 20_000);
        h.Scripted.Fill(entryId, 980m, qty: 0.4m);
        h.Trade(1, 20_000, 979.5m);
        await h.StepAsync();
        Assert.Single(h.Scripted.Placed); // no take-profit while the entry may still fill

        h.Trade(2, 0, 985m); // time-to-live over
        await h.StepAsync();

        Assert.Equal((entryId, "cancelled"), (h.Orders().Last(o => o.Id == entryId).Id, h.Orders().Last(o => o.Id == entryId).Event));
        var tp = h.Scripted.Placed[^1];
        Assert.Equal((h.IdOf(0, ClientOrderIds.TakeProfit), 0.4m, true), (tp.ClientOrderId, tp.Quantity, tp.ReduceOnly));
        Assert.Equal(0.4m, h.Executor.Status.Position);
        Assert.Equal("0.4", Assert.Single(h.Positions()).GetProperty("qty").GetString());
    }

    [Fact]
    public async Task Place_RateLimited_IsSentAgainNextStepWithTheSameId()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0);
        await h.StartAsync();
        h.Scripted.PlaceFailures.Enqueue(new VenueException(VenueErrorKind.RateLimited, "scripted: too many requests", "-1003"));

        await h.StepAsync();
        await h.StepAsync();

        Assert.Equal([h.IdOf(0, ClientOrderIds.Entry), h.IdOf(0, ClientOrderIds.Entry)], h.Scripted.Placed.Select(p => p.ClientOrderId));
        Assert.Single(h.Scripted.Orders);
        Assert.Equal(["sending", "placed"], h.Orders().Select(o => o.Event));
    }

    [Fact]
    public async Task Start_FirstRunOverHistory_DecidesFromTheNewestTradesMinute()
    {
        await using var h = new VenueExecutorHarness();
        h.Signal(0); // history: a long signal nobody may trade now
        h.Signal(1, close: 990m);
        h.Trade(2, 10_000, 990m); // the newest trade: minute 2 is "now"
        await h.Create(new VenueExecutorOptions()).StartAsync(CancellationToken.None);

        var quiet = await h.StepAsync();
        h.Fixture.Minute(Minute(2), 980m);
        h.Trade(3, 5_000, 985m);
        var live = await h.StepAsync();

        Assert.Equal((0, 1), (quiet.Minutes, quiet.Trades));
        Assert.Equal((1, 1), (live.Minutes, live.OrdersSent));
        Assert.Equal(h.IdOf(2, ClientOrderIds.Entry), Assert.Single(h.Scripted.Placed).ClientOrderId);
        Assert.Equal("long", Assert.Single(h.Signals()).Action);
    }

    [Fact]
    public async Task Restart_AfterADowntimeLongerThanTheTimeToLive_DecidesTheMissedMinutesButSendsNoStaleEntry()
    {
        await using var h = new VenueExecutorHarness();
        await h.StartAsync();
        h.Fixture.AppendTrade(At(0, 10_000), 1000m);
        await h.StepAsync(); // running, flat, nothing to decide yet

        // Down for minutes 0-4: minute 1 signals long, and the tape runs on to 12:05:30, past its entry's time-to-live (60 s
        // from 12:02). Paper would have filled or expired that entry long ago; sending it now would trade on an old close.
        await h.RestartAsync();
        h.Signal(1);
        h.Fixture.AppendTrade(At(5, 30_000), 985m);
        var caughtUp = await h.StepAsync();

        Assert.Empty(h.Scripted.Placed);
        var stale = Assert.Single(h.Signals(), s => s.Reason.Contains("signal skipped: stale", StringComparison.Ordinal));
        Assert.Equal("none", stale.Action);
        Assert.StartsWith("long signal skipped: stale: the tape already runs to", stale.Reason, StringComparison.Ordinal);
        Assert.True(caughtUp.Minutes >= 1);

        // Back in step with the tape: the next signal is traded.
        h.Signal(6);
        await h.StepAsync();
        Assert.Equal(h.IdOf(6, ClientOrderIds.Entry), Assert.Single(h.Scripted.Placed).ClientOrderId);
    }

    [Fact]
    public async Task Start_EmptyVault_DecidesFromTheFirstTradeRecorded()
    {
        await using var h = new VenueExecutorHarness();
        await h.Create(new VenueExecutorOptions()).StartAsync(CancellationToken.None);
        h.Signal(0);

        await h.StepAsync();

        Assert.Equal(h.IdOf(0, ClientOrderIds.Entry), Assert.Single(h.Scripted.Placed).ClientOrderId);
    }

    [Fact]
    public async Task ExitAtVwap_CloseAtOrAboveVwap_SendsAMarketReduceOnlyExitAtTheMinuteClose()
    {
        var config = CreateConfig(new Pipeline.Jobs.Strategies.ExecutionSettings { ExitAtVwap = true }) with
        {
            Risk = new RiskLimits { VolatilityHaltPct = null },
        };
        await using var h = new VenueExecutorHarness(config);
        await OpenLongAsync(h);
        h.Fixture.Minute(Minute(1), 1000.5m); // close ≥ vwap 1000
        h.Scripted.MarketPx = 1000.4m;
        h.Scripted.Now = At(2, 1_000);
        h.Trade(2, 1_000, 1000.4m);

        await h.StepAsync();

        var exit = h.Scripted.Placed[^1];
        Assert.Equal((h.IdOf(0, ClientOrderIds.ExitVwap), VenueOrderType.Market, VenueSide.Sell, true),
            (exit.ClientOrderId, exit.Type, exit.Side, exit.ReduceOnly));
        Assert.Equal("exit_vwap", h.Signals()[^1].Action);
        Assert.Equal(VenueOrderStatus.Canceled, h.Scripted.Order(h.IdOf(0, ClientOrderIds.TakeProfit))!.Status);
        var trip = Assert.Single(PerformanceReport.FromFills(h.Fills()).Trades);
        Assert.Equal(("exit_vwap", 1000.4m), (trip.ExitReason, trip.ExitPx));
    }

    /// <summary>A long at 980 placed for minute 0 and filled by the venue at 12:01:20; the take-profit placed.</summary>
    private static async Task OpenLongAsync(VenueExecutorHarness h)
    {
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        h.Scripted.Now = At(1, 20_000);
        h.Scripted.Fill(h.IdOf(0, ClientOrderIds.Entry), 980m);
        h.Trade(1, 20_000, 979.5m);
        await h.StepAsync();
        Assert.Equal(2, h.Scripted.Placed.Count);
        Assert.Equal(VenueExecutorHarness.Qty980, h.Executor.Status.Position);
    }
}
