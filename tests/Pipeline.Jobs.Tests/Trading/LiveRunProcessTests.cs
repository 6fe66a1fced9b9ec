using System.Globalization;
using System.Net;
using System.Text.Json;
using Pipeline.Exporter.Trading;
using Pipeline.Simulator.Trading;
using Pipeline.Testing.Secrets;
using Pipeline.Testing.Trading;
using Xunit.Abstractions;

namespace Pipeline.Jobs.Tests.Trading;

/// <summary>
/// The live path as users run it: <c>pipeline run</c> child processes trading live strategies, keys only in their
/// environment, against one loopback simulator's Binance USD-M and OKX private APIs, checked against the simulator's
/// trading truth (what each venue really did). One run on both venues serves three tests (ledger against truth, paper
/// against live, no key material); the crash, halt and bad-key cases each need runs of their own.
/// </summary>
public sealed class LiveRunProcessTests(LiveSimulator sim, ITestOutputHelper output) : IClassFixture<LiveSimulator>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static readonly LiveVenue Binance = new("live_bin", "binance", LiveSimulator.BinanceInst, "bin-main", 1m);
    private static readonly LiveVenue Okx = new("live_okx", "okx", LiveSimulator.OkxInst, "okx-main", LiveSimulator.OkxCtVal);

    [UnixFact("POSIX signals")]
    public async Task LiveRun_BothVenues_EveryVenueOrderAndFillInTheLedgerOnceAndThePositionsMatch()
    {
        var run = await sim.Once("main", MainRunAsync);
        foreach (var (venue, snapshot) in new[] { (Binance, run.BinanceSnapshot), (Okx, run.OkxSnapshot) })
        {
            var (truth, ledger) = snapshot;
            var what = $"{venue.Strategy} on {venue.Exchange}";

            // Every order the venue got is in the ledger under its client id, written "sending" before anything else.
            var orders = truth.Orders(venue.InstId);
            Assert.True(orders.Count >= 3, $"{what}: only {orders.Count} orders reached the venue");
            foreach (var order in orders)
            {
                var events = ledger.Orders.Where(o => o.OrderId == order.ClientOrderId).ToList();
                Assert.True(events.Count > 0, $"{what}: the venue's order {order.ClientOrderId} is not in the ledger");
                Assert.True(events[0].Event == "sending", $"{what}: {order.ClientOrderId} was first written '{events[0].Event}', not 'sending'");
                Assert.Single(events, e => e.Event == "sending");
                Assert.Equal(order.Side, events[0].Side);

                // The intent is the strategy's; the venue's filters round it (quantity down to the step, price to the tick away
                // from crossing). The next event is the venue's answer and carries the order as the venue holds it.
                var qty = order.Qty!.Value * venue.QtyPerTruthUnit;
                Assert.True(events[0].Qty >= qty, $"{what}: {order.ClientOrderId} sent {events[0].Qty}, the venue holds more ({qty})");
                var answer = events.Skip(1).FirstOrDefault();
                Assert.True(answer is not null, $"{what}: no answer of the venue to {order.ClientOrderId} in the ledger");
                Assert.Equal(qty, answer!.Qty);
                if (order.Type == "postonly")
                {
                    Assert.Equal(order.Price, answer.Px);
                }
            }

            // Every fill of the truth is in the ledger exactly once with the venue's price, quantity, fee and liquidity; nothing else is.
            // The fee as the venue's API prints it: OKX to 8 decimals, so a truth fee with more differs below the 8th.
            var fills = truth.Fills(venue.InstId);
            foreach (var fill in fills)
            {
                var booked = ledger.Fills.Where(f => f.TradeId == Text(fill.TradeId)).ToList();
                var one = Assert.Single(booked);
                Assert.Equal((fill.ClientOrderId, fill.FillPx!.Value, fill.FillQty!.Value * venue.QtyPerTruthUnit, Math.Round(fill.Fee!.Value, 8), fill.Liquidity!, fill.Side!),
                    (one.OrderId, one.Px, one.Qty, Math.Round(one.Fee, 8), one.Liquidity, one.Side));
            }

            var known = fills.Select(f => Text(f.TradeId)).ToHashSet(StringComparer.Ordinal);
            Assert.Empty(ledger.Fills.Where(f => f.TradeId is null || !known.Contains(f.TradeId)).Select(f => f.FillId));
            Assert.Equal(ledger.Fills.Count, ledger.Fills.Select(f => f.FillId).Distinct(StringComparer.Ordinal).Count());

            // Maker entries and both kinds of exit happened, and the position the ledger's fills add up to is the venue's.
            Assert.Contains(fills, f => Leg(f.ClientOrderId) == ClientOrderIds.Entry && f.Liquidity == "maker");
            Assert.Contains(fills, f => Leg(f.ClientOrderId) != ClientOrderIds.Entry);
            Assert.Equal(truth.Position(venue.InstId) * venue.QtyPerTruthUnit, ledger.Position);
        }
    }

    [UnixFact("POSIX signals")]
    public async Task LiveRun_SameMarketOnPaper_SameEntriesAndFillsDifferOnlyByPlacementLatencyOrStopAtTheBook()
    {
        var run = await sim.Once("main", MainRunAsync);
        var compared = 0;
        foreach (var (venue, live, paper, truth) in new[]
        {
            (Binance, run.BinanceFinal, run.PaperBinance, run.BinanceTruth), (Okx, run.OkxFinal, run.PaperOkx, run.OkxTruth),
        })
        {
            var what = $"{venue.Strategy} on {venue.Exchange}";
            var paperMinutes = paper.Signals.ToDictionary(s => s.MinuteMs);
            var decided = live.Signals.Where(s => paperMinutes.ContainsKey(s.MinuteMs)).ToList();
            Assert.True(decided.Count >= 5, $"{what}: only {decided.Count} minutes decided by both");
            foreach (var l in decided)
            {
                var p = paperMinutes[l.MinuteMs];
                var minute = Iso(l.MinuteMs);

                // The same minute inputs and the same strategy: the same evaluation.
                Assert.Equal((l.Close, l.Vwap, l.Sigma, l.Upper, l.Lower, l.Adx), (p.Close, p.Vwap, p.Sigma, p.Upper, p.Lower, p.Adx));
                var liveEntry = live.Orders.FirstOrDefault(o => o.Kind == "entry" && o.Event == "sending" && SignalMinute(o.OrderId) == l.MinuteMs);
                var paperEntry = paper.Orders.FirstOrDefault(o => o.Kind == "entry" && o.Event == "placed" && o.Ts >= l.MinuteMs + 60_000 && o.Ts < l.MinuteMs + 120_000);
                if (l.Action is "long" or "short" && p.Action == l.Action)
                {
                    // The same entry: side and limit at the close; the quantity is the paper one rounded down to the venue's step.
                    Assert.NotNull(liveEntry);
                    Assert.NotNull(paperEntry);
                    Assert.Equal((paperEntry!.Side, paperEntry.Px), (liveEntry!.Side, liveEntry.Px));
                    Assert.True(liveEntry.Qty <= paperEntry.Qty && liveEntry.Qty > paperEntry.Qty * 0.9m,
                        $"{what} {minute}: live quantity {liveEntry.Qty} is not the paper {paperEntry.Qty} rounded to the venue's step");
                    if (EntryFillsDifferOnlyByLatency(what, minute, live, liveEntry.OrderId, paper, paperEntry.OrderId, truth, run.Folder, venue))
                    {
                        compared++;
                    }
                }
                else if (l.Action != p.Action)
                {
                    // One side entered or exited where the other did not: only because its position differed (an earlier fill
                    // differed by latency), never because the strategy decided otherwise.
                    var quiet = l.Action is "long" or "short" ? p : l;
                    Assert.True(quiet.Action == "none" && IsPositionGate(quiet.Reason) || IsExit(l.Action) || IsExit(p.Action),
                        $"{what} {minute}: live '{l.Action}' ({l.Reason}) but paper '{p.Action}' ({p.Reason})");
                }
            }

            // Exits: a take-profit fills at its limit in both; a stop or a time exit is a taker order at the book live
            // (after the step that saw it), at the stop price or the minute close on paper: only the price may differ.
            foreach (var fill in live.Fills.Where(f => Leg(f.OrderId) is ClientOrderIds.StopLoss or ClientOrderIds.ExitTime or ClientOrderIds.RiskFlatten))
            {
                Assert.Equal("taker", fill.Liquidity);
            }

            foreach (var fill in live.Fills.Where(f => Leg(f.OrderId) is ClientOrderIds.Entry or ClientOrderIds.TakeProfit))
            {
                Assert.Equal("maker", fill.Liquidity);
            }
        }

        output.WriteLine($"{compared} entries decided alike and resolved on both runs compared; live fills: {run.BinanceFinal.Fills.Count} Binance, {run.OkxFinal.Fills.Count} OKX");
        Assert.True(compared >= 2, $"only {compared} entries were decided and resolved alike on both runs: nothing compared");
    }

    [UnixFact("POSIX signals")]
    public async Task LiveRun_EveryFileAndOutput_NoKeyMaterial()
    {
        var run = await sim.Once("main", MainRunAsync);
        Assert.True(SecretScan.CountFiles([run.Folder]) >= 20, "the live run left almost no files: the scan proves nothing");
        Assert.True(run.Outputs.Count >= 6);
        Assert.Contains(run.Outputs, o => o.Value.Contains(Binance.Strategy, StringComparison.Ordinal)); // the outputs are the real ones

        var findings = SecretScan.Find(sim.Secrets("bin-main", "okx-main"), [run.Folder], run.Outputs);
        Assert.True(findings.Count == 0, "key material found:\n" + string.Join('\n', findings));
    }

    [UnixFact("SIGKILL")]
    public async Task LiveRun_KilledBetweenSendAndAcknowledgement_RestartFindsTheOneOrderAndRecordsItsFillOnce()
    {
        await sim.StartSimulatorAsync("ackhold");
        var folder = sim.NewFolder("ackhold");
        var vault = Path.Combine(folder, "vault");
        sim.SeedHistory(vault);
        const string id = "hold_bin";
        // Exits far away: once an entry fills, the only order the executor sends is the one the kill switch makes it send.
        var config = sim.Config(folder, LiveSimulator.Strategy(folder, id, "binance", parameters: new Dictionary<string, string>
        {
            ["takeProfitPct"] = "5", ["stopLossPct"] = "5", ["exitAfter"] = "off",
        }));
        var env = sim.Environment("bin-hold", null);
        var faults = sim.Sim.Context.Private!.Faults;
        LiveLedger Ledger() => LiveLedger.Read(vault, id, "binance", LiveSimulator.BinanceInst);

        string held;
        using (var first = LiveSimulator.Run(config, env))
        {
            // A position with its take-profit resting; then the next order the venue accepts is answered only once its
            // client has gone: the kill switch's market order, which fills at the book the moment the venue takes it.
            await first.WaitWhileRunningAsync(() => sim.Truth("bin-hold").Orders().Any(o => Leg(o.ClientOrderId) == ClientOrderIds.TakeProfit),
                "an entry filled and its take-profit resting at the venue", Bound);
            faults.Arm(PrivateFault.AckHold);
            var (code, stdout, stderr) = await PipelineProcess.RunAsync("kill", "--vault", vault, "--strategy", id, "--reason", "process test");
            Assert.True(code == 0, stdout + stderr);
            TradingTruthEvent? order = null;
            await first.WaitWhileRunningAsync(() => faults.Holding == 1
                    && (order = sim.Truth("bin-hold").Orders().Where(o => Leg(o.ClientOrderId) == ClientOrderIds.RiskFlatten).FirstOrDefault()) is not null,
                "the kill switch's order accepted by the venue with its answer held", Bound);
            held = order!.ClientOrderId;
            first.Kill();
        }

        // Killed between send and acknowledgement: the ledger wrote the intent, never the answer, nor the fill.
        Assert.Equal(["sending"], Ledger().Orders.Where(o => o.OrderId == held).Select(o => o.Event));
        Assert.DoesNotContain(Ledger().Fills, f => f.OrderId == held);
        await Waits.UntilAsync(() => faults.Holding == 0, Bound, "the held answer released after the kill");
        var filledAtVenue = sim.Truth("bin-hold").Fills().Where(f => f.ClientOrderId == held).ToList();
        Assert.NotEmpty(filledAtVenue); // the fill happened while nobody was listening

        using (var second = LiveSimulator.Run(config, env))
        {
            try
            {
                await second.WaitWhileRunningAsync(() => Ledger().Fills.Count(f => f.OrderId == held) >= filledAtVenue.Count,
                    $"the held order {held}'s fill recorded after the restart", Bound);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                throw new TimeoutException(ex.Message + Diagnose(vault, new LiveVenue(id, "binance", LiveSimulator.BinanceInst, "bin-hold", 1m))
                    + $"\nthe held order at the venue: {sim.Truth("bin-hold").Latest(held)}", ex);
            }

            var truth = sim.Truth("bin-hold");
            var ledger = Ledger();

            // Exactly one order with that id at the exchange, and no second flattening order; the ledger knows it and its fill once.
            Assert.Single(truth.Orders(), o => o.ClientOrderId == held);
            Assert.Single(truth.Orders(), o => Leg(o.ClientOrderId) == ClientOrderIds.RiskFlatten);
            Assert.DoesNotContain(truth.Refused(), r => r.ClientOrderId == held);
            Assert.Single(ledger.Orders, o => o.OrderId == held && o.Event == "sending");
            Assert.Contains(ledger.Orders, o => o.OrderId == held && o.Event is "placed" or "filled");
            foreach (var fill in filledAtVenue)
            {
                Assert.Single(ledger.Fills, f => f.TradeId == Text(fill.TradeId));
            }

            Assert.Equal(filledAtVenue.Count, ledger.Fills.Count(f => f.OrderId == held));
            Assert.Equal(0m, truth.Position(LiveSimulator.BinanceInst));
            Assert.Equal(0m, ledger.Position);
            var code = await second.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code == 0, second.Describe());
        }
    }

    [UnixFact("POSIX signals")]
    public async Task LiveRun_DailyLossAndKillSwitch_NewEntriesHaltedPositionFlattenedAndBothHaltsSurviveARestart()
    {
        await sim.StartSimulatorAsync("halts");
        var folder = sim.NewFolder("halts");
        var vault = Path.Combine(folder, "vault");
        sim.SeedHistory(vault);
        const string loss = "loss_bin", kill = "kill_okx";
        // loss_bin: a 0.05 USDT daily loss limit on a 1000 USDT position: the first adverse tick (or the fees) halts it.
        // kill_okx: exits far away, so a position stays open until the kill switch flattens it.
        var config = sim.Config(folder,
            LiveSimulator.Strategy(folder, loss, "binance", risk: new Dictionary<string, string> { ["dailyLossLimit"] = "0.05" }),
            LiveSimulator.Strategy(folder, kill, "okx", parameters: new Dictionary<string, string>
            {
                ["takeProfitPct"] = "5", ["stopLossPct"] = "5", ["exitAfter"] = "off", ["entryTtl"] = "10m",
            }));
        var env = sim.Environment("bin-loss", "okx-kill");
        LiveLedger Loss() => LiveLedger.Read(vault, loss, "binance", LiveSimulator.BinanceInst);
        LiveLedger Kill() => LiveLedger.Read(vault, kill, "okx", LiveSimulator.OkxInst);

        int lossEntries, killEntries;
        using (var first = LiveSimulator.Run(config, env))
        {
            Uri? url = null;
            await first.WaitWhileRunningAsync(() => (url = LiveSimulator.HealthUrl(vault, first.Id)) is not null, "the health URL", Bound);
            await first.WaitWhileRunningAsync(() => Halts(url!).Any(h => h.StartsWith(loss + ":", StringComparison.Ordinal)),
                $"{loss} halted by its daily loss limit", Bound);
            await first.WaitWhileRunningAsync(() => sim.Truth("okx-kill").Position(LiveSimulator.OkxInst) != 0, $"a position of {kill} open at OKX", Bound);

            var (code, stdout, stderr) = await PipelineProcess.RunAsync("kill", "--vault", vault, "--strategy", kill, "--reason", "process test");
            Assert.True(code == 0, stdout + stderr);
            await first.WaitWhileRunningAsync(() => sim.Truth("okx-kill") is var t && t.Position(LiveSimulator.OkxInst) == 0 && t.OpenOrders().Count == 0,
                $"{kill}'s OKX position flat and its orders canceled", Bound);
            await first.WaitWhileRunningAsync(() => Kill().Fills.Any(f => Leg(f.OrderId) == ClientOrderIds.RiskFlatten)
                    && Halts(url!).Any(h => h.StartsWith(kill + ":", StringComparison.Ordinal)),
                $"{kill}'s flattening fill in its ledger and its halt on /health", Bound);

            // Halted: minutes go on being decided, and no new entry is sent on either.
            lossEntries = Loss().EntriesSent.Count;
            killEntries = Kill().EntriesSent.Count;
            var lossMinutes = Loss().Signals.Count;
            var killMinutes = Kill().Signals.Count;
            await first.WaitWhileRunningAsync(() => Loss().Signals.Count >= lossMinutes + 3 && Kill().Signals.Count >= killMinutes + 3,
                "three more minutes decided by both", Bound);
            Assert.Equal(lossEntries, Loss().EntriesSent.Count);
            Assert.Equal(killEntries, Kill().EntriesSent.Count);
            var code1 = await first.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code1 == 0, first.Describe());
        }

        // Restarted: both halts are back before anything is decided, and still no new entry.
        using (var second = LiveSimulator.Run(config, env))
        {
            Uri? url = null;
            await second.WaitWhileRunningAsync(() => (url = LiveSimulator.HealthUrl(vault, second.Id)) is not null, "the health URL", Bound);
            var lossMinutes = Loss().Signals.Count;
            var killMinutes = Kill().Signals.Count;
            await second.WaitWhileRunningAsync(() => Loss().Signals.Count >= lossMinutes + 3 && Kill().Signals.Count >= killMinutes + 3,
                "three more minutes decided by both after the restart", Bound);
            var halts = Halts(url!);
            output.WriteLine("halts after the restart: " + string.Join(" | ", halts));
            Assert.Contains(halts, h => h.StartsWith(loss + ":", StringComparison.Ordinal));
            Assert.Contains(halts, h => h.StartsWith(kill + ":", StringComparison.Ordinal));
            Assert.Equal(lossEntries, Loss().EntriesSent.Count);
            Assert.Equal(killEntries, Kill().EntriesSent.Count);
            Assert.Contains(Loss().Signals.Skip(lossMinutes), s => s.Reason.Contains("skipped", StringComparison.Ordinal)); // it would have entered

            // Cleared: the kill switch halt goes (the daily loss one stays until midnight).
            var (code, stdout, stderr) = await PipelineProcess.RunAsync("kill", "--vault", vault, "--strategy", kill, "--clear");
            Assert.True(code == 0, stdout + stderr);
            await second.WaitWhileRunningAsync(() => !Halts(url!).Any(h => h.StartsWith(kill + ":", StringComparison.Ordinal)),
                $"{kill}'s halt gone from /health after --clear", Bound);
            Assert.Contains(Halts(url!), h => h.StartsWith(loss + ":", StringComparison.Ordinal));
            var code2 = await second.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code2 == 0, second.Describe());
        }
    }

    [Theory]
    [InlineData("binance", "bin-bad")]
    [InlineData("okx", "okx-bad")]
    public async Task LiveRun_WrongSecret_ExitsOneWithOneLineNamingTheVenueAndNoRetryLoop(string exchange, string account)
    {
        await sim.StartSimulatorAsync("badkey-" + exchange);
        var folder = sim.NewFolder("badkey-" + exchange);
        var config = sim.Config(folder, LiveSimulator.Strategy(folder, "bad_" + exchange[..3], exchange));
        var wrong = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var env = exchange == "binance" ? sim.Environment(account, null, binanceSecret: wrong) : sim.Environment(null, account, okxSecret: wrong);

        using var run = LiveSimulator.Run(config, env);
        var code = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(code == 1, run.Describe());
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The last line is the one the user reads: which strategy, which venue, that the key was refused and why; every
        // other line saying the run stopped (the log's copy) says the same.
        var last = lines[^1];
        Assert.StartsWith($"error: live trading stopped: strategy bad_{exchange[..3]} on {exchange}: ", last, StringComparison.Ordinal);
        Assert.Contains("refused the credentials (API key ****", last, StringComparison.Ordinal);
        Assert.Contains(exchange == "binance" ? "-1022" : "50113", last, StringComparison.Ordinal);
        Assert.Single(lines.Where(l => l.Contains("live trading stopped", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("live trading stopped", StringComparison.Ordinal)..]).Distinct());
        var requests = sim.Sim.Context.KeyedRequests(sim.Account(account).ApiKey);
        output.WriteLine($"{requests} requests with the key; stderr:\n{run.Stderr}");
        Assert.True(requests is >= 1 and <= 5, $"the simulator saw {requests} requests with the refused key (a retry loop?)\n{run.Describe()}");
    }

    private async Task<MainRun> MainRunAsync()
    {
        await sim.StartSimulatorAsync("main");
        var folder = sim.NewFolder("main");
        var vault = Path.Combine(folder, "vault");
        sim.SeedHistory(vault);
        var config = sim.Config(folder, LiveSimulator.Strategy(folder, Binance.Strategy, "binance"), LiveSimulator.Strategy(folder, Okx.Strategy, "okx"));
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        LiveSnapshot? binance = null, okx = null;
        using (var run = LiveSimulator.Run(config, sim.Environment(Binance.Account, Okx.Account)))
        {
            try
            {
                await run.WaitWhileRunningAsync(() => (binance ??= Consistent(vault, Binance)) is not null && (okx ??= Consistent(vault, Okx)) is not null,
                    "two filled entries and a filled exit on each venue, and a moment where the ledger has every order and fill of the venue's truth", Bound);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                throw new TimeoutException(ex.Message + Diagnose(vault, Binance) + Diagnose(vault, Okx), ex);
            }
            Uri? url = LiveSimulator.HealthUrl(vault, run.Id);
            if (url is not null && LiveSimulator.Get(new Uri(url, "health")) is { } health)
            {
                outputs["/health"] = health.Body;
            }

            if (url is not null && LiveSimulator.Get(new Uri(url, "metrics")) is { } metrics)
            {
                outputs["/metrics"] = metrics.Body;
            }

            var code = await run.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code == 0, run.Describe());
            outputs["run stdout"] = run.Stdout;
            outputs["run stderr"] = run.Stderr;
        }

        // What a user reads afterwards.
        const string ledgerSql = "select 'order' as what, to_json(o) as row from orders o union all select 'fill', to_json(f) from fills f "
            + "union all select 'position', to_json(p) from positions p union all select 'signal', to_json(s) from signals s";
        foreach (var (name, args) in new (string Name, string[] Args)[]
        {
            ("status", ["status", "--vault", vault]),
            ("query", ["query", "--vault", vault, "--format", "json", ledgerSql]),
        })
        {
            var (code, stdout, stderr) = await PipelineProcess.RunAsync(args);
            Assert.True(code == 0, $"{name}: exit {code}\n{stdout}\n{stderr}");
            outputs[name + " stdout"] = stdout;
            outputs[name + " stderr"] = stderr;
        }

        // The same strategies on paper over the same vault (new ids: a strategy's ledger is its own).
        var paperBinance = LiveSimulator.Strategy(folder, "paper_bin", "binance", mode: "paper");
        var paperOkx = LiveSimulator.Strategy(folder, "paper_okx", "okx", mode: "paper");
        var (signalCode, signalOut, signalErr) = await PipelineProcess.RunAsync("signal", "--vault", vault, "--strategy", paperBinance, "--strategy", paperOkx);
        Assert.True(signalCode == 0, $"signal: exit {signalCode}\n{signalOut}\n{signalErr}");
        outputs["signal stdout"] = signalOut;
        outputs["signal stderr"] = signalErr;

        return new MainRun(folder, binance!, okx!, sim.Truth(Binance.Account), sim.Truth(Okx.Account),
            LiveLedger.Read(vault, Binance.Strategy, Binance.Exchange, Binance.InstId), LiveLedger.Read(vault, Okx.Strategy, Okx.Exchange, Okx.InstId),
            LiveLedger.Read(vault, "paper_bin", Binance.Exchange, Binance.InstId), LiveLedger.Read(vault, "paper_okx", Okx.Exchange, Okx.InstId), outputs);
    }

    /// <summary>
    /// The venue's truth and the ledger at one moment when neither moved while read and the ledger holds every order and
    /// fill of the truth; null before at least two entries and one exit have filled.
    /// </summary>
    private LiveSnapshot? Consistent(string vault, LiveVenue venue)
    {
        var before = sim.Truth(venue.Account);
        var ledger = LiveLedger.Read(vault, venue.Strategy, venue.Exchange, venue.InstId);
        var after = sim.Truth(venue.Account);
        if (after.Events.Count != before.Events.Count)
        {
            return null;
        }

        var fills = before.Fills(venue.InstId);
        if (fills.Where(f => Leg(f.ClientOrderId) == ClientOrderIds.Entry).Select(f => f.ClientOrderId).Distinct().Count() < 2
            || !fills.Any(f => Leg(f.ClientOrderId) != ClientOrderIds.Entry))
        {
            return null;
        }

        var booked = ledger.Fills.Select(f => f.TradeId).ToHashSet(StringComparer.Ordinal);
        var ids = ledger.Orders.Select(o => o.OrderId).ToHashSet(StringComparer.Ordinal);
        return fills.All(f => booked.Contains(Text(f.TradeId))) && before.Orders(venue.InstId).All(o => ids.Contains(o.ClientOrderId))
            ? new LiveSnapshot(before, ledger)
            : null;
    }

    /// <summary>What a failed wait shows about one venue: the truth, the ledger, the last decisions and the run's warnings.</summary>
    private string Diagnose(string vault, LiveVenue venue)
    {
        var truth = sim.Truth(venue.Account);
        var ledger = LiveLedger.Read(vault, venue.Strategy, venue.Exchange, venue.InstId);
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\n--- {venue.Strategy} ({venue.Account}) ---\ntruth: {truth.Orders().Count} orders, {truth.Fills().Count} fills, refused: ")
            .AppendJoin(", ", truth.Refused().Select(r => r.Reason).Take(10))
            .Append(CultureInfo.InvariantCulture, $"\nledger: orders ").AppendJoin(", ", ledger.Orders.GroupBy(o => o.Kind + "/" + o.Event).Select(g => $"{g.Key} {g.Count()}"))
            .Append(CultureInfo.InvariantCulture, $"; {ledger.Fills.Count} fills; {ledger.Signals.Count} minutes decided, the last: ")
            .AppendJoin(" | ", ledger.Signals.TakeLast(4).Select(x => Iso(x.MinuteMs) + " " + x.Action + " " + x.Reason));
        foreach (var o in ledger.Orders.TakeLast(6))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {Iso(o.Ts)} {o.OrderId} {o.Event} {o.Kind} {o.Side} {o.Px} {o.Qty} {o.Reason}");
        }

        var layout = new Pipeline.Vault.Layout.VaultLayout(vault);
        var state = layout.VenueState(venue.Strategy);
        text.Append("\nvenue state: ").Append(File.Exists(state) ? File.ReadAllText(state) : "none");
        var bars = layout.DerivedInstrumentDir("bars_1m", venue.Exchange, venue.InstId);
        if (Directory.Exists(bars))
        {
            var minutes = Directory.GetFiles(bars, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadLines).ToList();
            text.Append(CultureInfo.InvariantCulture, $"\nbars_1m: {minutes.Count} minutes, the last: {(minutes.Count > 0 ? minutes[^1][..Math.Min(40, minutes[^1].Length)] : "")}");
        }

        var exporter = layout.ExporterState(venue.Exchange, venue.InstId);
        text.Append("\nexporter state: ").Append(File.Exists(exporter) ? File.ReadAllText(exporter).ReplaceLineEndings(" ") : "none");
        if (Directory.Exists(vault))
        {
            text.Append("\nfiles: ").AppendJoin(", ", Directory.EnumerateFiles(vault, "*", SearchOption.AllDirectories)
                .Where(f => f.Contains(venue.InstId, StringComparison.Ordinal)).Select(f => $"{Path.GetRelativePath(vault, f)} {new FileInfo(f).Length}"));
        }

        var logs = layout.LogsDir;
        if (venue == Okx && Directory.Exists(logs))
        {
            foreach (var file in Directory.GetFiles(logs))
            {
                text.Append("\n--- log ").Append(Path.GetFileName(file)).Append(" (warnings and errors) ---\n")
                    .AppendJoin('\n', File.ReadLines(file).Where(l => l.Contains("WRN", StringComparison.Ordinal) || l.Contains("ERR", StringComparison.Ordinal)
                        || l.Contains("FTL", StringComparison.Ordinal) || l.Contains("\"Warning\"", StringComparison.Ordinal) || l.Contains("\"Error\"", StringComparison.Ordinal)).Take(40));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// An entry made alike on both runs: filled on both at the same price as maker, or filled on one only because the live
    /// order reached the venue later than paper's (a trade through the limit before it was placed, a post-only refused
    /// because the price had already crossed it, or a live fill after paper's time-to-live had ended). False (not compared)
    /// when one side had not resolved the entry when its run ended (the live run stopped, the paper pass ends at the last
    /// finished minute).
    /// </summary>
    private static bool EntryFillsDifferOnlyByLatency(string what, string minute, LiveLedger live, string liveId, LiveLedger paper, string paperId,
        TradingTruth truth, string folder, LiveVenue venue)
    {
        var liveFill = live.Fills.FirstOrDefault(f => f.OrderId == liveId);
        var paperFill = paper.Fills.FirstOrDefault(f => f.OrderId == paperId);
        var sent = live.Orders.First(o => o.OrderId == liveId && o.Event == "sending");
        var liveFinal = liveFill is not null || live.Orders.Any(o => o.OrderId == liveId && o.Event is "rejected" or "cancelled");
        var paperFinal = paperFill is not null || paper.Orders.Any(o => o.OrderId == paperId && o.Event == "cancelled");
        if (!liveFinal || !paperFinal)
        {
            // The run was stopped, or the paper pass ended at the last finished minute, while the entry was still open:
            // what it would have done is not known on that side.
            return false;
        }

        if (liveFill is not null && paperFill is not null)
        {
            Assert.Equal((paperFill.Px, "maker"), (liveFill.Px, liveFill.Liquidity));
        }
        else if (paperFill is not null)
        {
            // When the venue got it, by its own clock (the ledger's times are the executor's event time, the newest trade it
            // had read, which trails the market by the recording and reading delay: latency too).
            var atVenue = truth.Events.FirstOrDefault(e => e.ClientOrderId == liveId);
            var refused = atVenue?.Event is "refused" or "canceled"; // Binance refuses a crossing post-only, OKX cancels it at once
            Assert.True(atVenue is not null, $"{what} {minute}: the venue never saw the live entry {liveId}");
            // The simulator fills a resting order from the other side's taker only; paper fills it by any trade through its
            // limit, also one whose taker was on the order's side (the public book moved through the price, which an
            // exchange's matching would not let happen with the order resting there).
            var sameSideTaker = RawTradeSide(folder, venue, paperFill) == paperFill.Side;
            Assert.True(paperFill.Ts <= atVenue!.Ts || refused || sameSideTaker,
                $"{what} {minute}: paper filled its entry at {Iso(paperFill.Ts)}, after the venue took the live order at {Iso(atVenue.Ts)} (sent at event time {Iso(sent.Ts)}), yet live did not fill");
        }
        else if (liveFill is not null)
        {
            var expired = paper.Orders.FirstOrDefault(o => o.OrderId == paperId && o.Event == "cancelled");
            Assert.True(expired is not null && liveFill.Ts >= expired.Ts,
                $"{what} {minute}: live filled at {Iso(liveFill.Ts)} within paper's time-to-live, yet paper did not fill; live {string.Join(" | ", live.Orders.Where(o => o.OrderId == liveId).Select(o => $"{Iso(o.Ts)} {o.Event} {o.Side} {o.Px} {o.Qty}"))}; paper {string.Join(" | ", paper.Orders.Where(o => o.OrderId == paperId).Select(o => $"{Iso(o.Ts)} {o.Event} {o.Side} {o.Px} {o.Qty} {o.Reason}"))}; raw trades: {string.Join(" ", RawAround(folder, venue, liveFill.Ts))}");
        }

        return true;
    }

    /// <summary>The taker side of the raw trade that filled a paper order (its tradeId), from the vault's day file.</summary>
    private static string? RawTradeSide(string folder, LiveVenue venue, LedgerFillLine fill)
    {
        var layout = new Pipeline.Vault.Layout.VaultLayout(Path.Combine(folder, "vault"));
        foreach (var line in File.ReadLines(layout.RawDayJsonl(venue.Exchange, venue.InstId, Pipeline.Vault.Trades.TradeTime.Day(fill.Ts))))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("tradeId").GetString() == fill.TradeId)
            {
                return doc.RootElement.GetProperty("side").GetString();
            }
        }

        return null;
    }

    private static IEnumerable<string> RawAround(string folder, LiveVenue venue, long ts)
    {
        var layout = new Pipeline.Vault.Layout.VaultLayout(Path.Combine(folder, "vault"));
        var path = layout.RawDayJsonl(venue.Exchange, venue.InstId, Pipeline.Vault.Trades.TradeTime.Day(ts));
        foreach (var line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var t = doc.RootElement.GetProperty("ts").GetInt64();
            if (Math.Abs(t - ts) <= 1500)
            {
                yield return $"{Iso(t)}@{doc.RootElement.GetProperty("px").GetString()}/{doc.RootElement.GetProperty("side").GetString()}";
            }
        }
    }

    private static IReadOnlyList<string> Halts(Uri url)
    {
        if (LiveSimulator.Get(new Uri(url, "health")) is not { } health)
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(health.Body);
            return [.. doc.RootElement.GetProperty("riskHalts").EnumerateArray().Select(h => h.GetString()!)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>A live entry skipped because its position differed, or because the executor decided it only after the tape ran past its time-to-live.</summary>
    private static bool IsPositionGate(string reason) =>
        reason.Contains("skipped: position", StringComparison.Ordinal) || reason.Contains("skipped: entry order", StringComparison.Ordinal) ||
        reason.Contains("skipped: stale", StringComparison.Ordinal);

    private static bool IsExit(string action) => action is "exit_time" or "exit_vwap";

    private static char Leg(string clientOrderId) => clientOrderId.Length == ClientOrderIds.Length ? clientOrderId[18] : '?';

    private static long SignalMinute(string clientOrderId) =>
        DateTimeOffset.ParseExact(clientOrderId[8..18], "yyMMddHHmm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    private static string Text(long? value) => value!.Value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private sealed record LiveVenue(string Strategy, string Exchange, string InstId, string Account, decimal QtyPerTruthUnit);

    private sealed record LiveSnapshot(TradingTruth Truth, LiveLedger Ledger);

    private sealed record MainRun(string Folder, LiveSnapshot BinanceSnapshot, LiveSnapshot OkxSnapshot, TradingTruth BinanceTruth, TradingTruth OkxTruth,
        LiveLedger BinanceFinal, LiveLedger OkxFinal,
        LiveLedger PaperBinance, LiveLedger PaperOkx, Dictionary<string, string> Outputs);
}
