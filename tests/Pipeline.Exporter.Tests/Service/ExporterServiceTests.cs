using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator;
using Pipeline.Simulator.Faults;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Serilog.Events;

namespace Pipeline.Exporter.Tests.Service;

/// <summary>
/// The exporter in-process against the loopback simulator (real WebSockets and HTTP). Both run on one fake clock
/// from a fixed start: simulated seconds pass when the test (or <see cref="FakeClockDriver"/>) moves it, and the
/// tests wait for the events they check, never for a span of wall time.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class ExporterServiceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public ExporterServiceTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    private static ExporterOptions Options(SimulatorHost sim, string exchange, params string[] instIds) => new()
    {
        Exchange = exchange,
        InstIds = instIds,
        OkxWsPublic = sim.Endpoints.OkxWsPublic,
        OkxWsBusiness = sim.Endpoints.OkxWsBusiness,
        OkxRest = sim.Endpoints.OkxRest,
        BinanceWs = sim.Endpoints.BinanceWs,
        BinanceRest = sim.Endpoints.BinanceRest,
        ReorderWindow = TimeSpan.FromMilliseconds(500),
        RestInterval = TimeSpan.FromMilliseconds(20),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Bound of every wait for an event (real time): generous, a wait ends as soon as the event happens.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Runs the service until <paramref name="until"/> holds (waiting for it, bounded), then stops it.</summary>
    private static async Task RunUntilAsync(ExporterService service, Func<Task> until)
    {
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        try
        {
            await until();
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Bound);
        }
    }

    [Fact]
    public async Task Run_StallFault_IsDetectedAndRecoveredWithoutLosingTrades()
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        var truth = _dir.File("truth");
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTC-USDT-SWAP"], Rate = 100, Seed = 3, TruthDir = truth, Time = time,
            Faults = FaultSpec.Parse("stall=2s"),
        });
        var first = await SeedStateAtFirstTruthTradeAsync(time, sim, truth, "okx", "BTC-USDT-SWAP");
        var sink = new CollectingSink();
        // A stalled socket answers no ping either: that, not the trade silence, is the dead link.
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with
            {
                PingInterval = TimeSpan.FromMilliseconds(300), PongTimeout = TimeSpan.FromSeconds(1),
            },
            _vault, time, sink.Logger());
        // A stalled link never answers: a step waits only briefly for the pong there.
        var driver = new FakeClockDriver(time, sim, service) { PingBound = TimeSpan.FromMilliseconds(100) };
        await RunUntilAsync(service, async () =>
        {
            await driver.RunUntilAsync(
                () => service.Reconnects >= 1 && sink.Events.Any(e => e.Text.Contains("dead connection", StringComparison.Ordinal)),
                "a stalled link detected and reconnected", TimeSpan.FromMinutes(1));
            // Then stalls every ~2 s of simulated time for 16 s more (the old run: 9 s at speed 2).
            await driver.RunUntilAsync(driver.Now + TimeSpan.FromSeconds(16));
        });

        Assert.Contains(sink.Events, e => e.Text.Contains("dead connection", StringComparison.Ordinal));
        Assert.True(service.Reconnects >= 1);
        var state = new StateFile<ExporterState>(_vault.ExporterState("okx", "BTC-USDT-SWAP")).Read()!;
        // Recovered: the watermark kept up with the market despite stalls every ~2 s.
        Assert.True(state.WatermarkTs > sim.PublishedThroughMs - 10_000, $"watermark {state.WatermarkTs} vs published {sim.PublishedThroughMs}");
        var report = new RawVerifier(_vault).Verify(new VerifyOptions
        {
            Exchanges = ["okx"], InstIds = ["BTC-USDT-SWAP"], FromTs = first.Ts, ToTs = state.WatermarkTs - 1, TruthDir = truth,
        });
        Assert.Equal(0, report.Missing);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.GapCount);
        Assert.True(report.ContentMismatches == 0, string.Join("\n", report.Instruments.SelectMany(i => i.Mismatches)));
        Assert.True(report.Lines > 100);
    }

    [Fact]
    public async Task Run_TradesAllOnThePublicUrl_Reports60018NamingUrlAndChannel()
    {
        // Refused at subscription: no simulated time needs to pass.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 50, Time = time });
        var sink = new CollectingSink();
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with { WsUrlOverride = sim.Endpoints.OkxWsPublic },
            _vault, time, sink.Logger());
        await RunUntilAsync(service, () => Waits.UntilAsync(() => service.ErrorEvents >= 1, Bound, "the 60018 error event"));

        Assert.True(service.ErrorEvents >= 1);
        var error = Assert.Single(sink.Events.Where(e => e.Level == LogEventLevel.Error).Take(1));
        Assert.Contains("60018", error.Text, StringComparison.Ordinal);
        Assert.Contains("trades-all", error.Text, StringComparison.Ordinal);
        Assert.Contains("/ws/v5/public", error.Text, StringComparison.Ordinal);
        Assert.Contains("/ws/v5/business", error.Text, StringComparison.Ordinal); // the hint where it lives
    }

    [Fact]
    public async Task Run_BinanceUnroutedUrl_RaisesTheSilenceAlarm()
    {
        // A legacy/unrouted path acknowledges and then delivers no aggTrade (PROTOCOLS 2.1).
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTCUSDT"], Rate = 50, Time = time });
        var sink = new CollectingSink();
        var wrong = new Uri(SimulatorEndpoints.Text(sim.Endpoints.BinanceWs) + "/stream?streams=btcusdt@aggTrade");
        var service = new ExporterService(Options(sim, "binance", "BTCUSDT") with { WsUrlOverride = wrong, DataSilenceTimeout = TimeSpan.FromSeconds(1) },
            _vault, time, sink.Logger());
        var driver = new FakeClockDriver(time, sim, service);
        await RunUntilAsync(service, () => driver.RunUntilAsync(
            () => sink.Events.Any(e => e.Text.StartsWith("ALARM", StringComparison.Ordinal)), "the silence alarm", TimeSpan.FromSeconds(30)));

        var alarm = Assert.Single(sink.Events.Where(e => e.Text.StartsWith("ALARM", StringComparison.Ordinal)).Take(1));
        Assert.Equal(LogEventLevel.Error, alarm.Level);
        Assert.Contains("/stream?streams=btcusdt@aggTrade", alarm.Text, StringComparison.Ordinal);
        Assert.Contains("wrong host or path", alarm.Text, StringComparison.Ordinal);
        Assert.Equal(0, service.Recorders[0].Trades);
    }

    [Fact]
    public async Task Run_OkxAggregatedTradesChannel_RecordsCount()
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 200, Time = time });
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with { Channel = "trades" }, _vault, time,
            new CollectingSink().Logger());
        var driver = new FakeClockDriver(time, sim, service);
        // Six simulated seconds of market (the old run: 3 s at speed 2), after the first trade.
        await RunUntilAsync(service, async () =>
        {
            await driver.RunUntilAsync(() => service.Recorders.Count == 1 && service.Recorders[0].Trades > 0, "the first trade", TimeSpan.FromSeconds(30));
            await driver.RunUntilAsync(driver.Now + TimeSpan.FromSeconds(6));
        });

        var day = _vault.RawDays("okx", "BTC-USDT-SWAP")[^1];
        var trades = RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day));
        Assert.NotEmpty(trades);
        Assert.Contains(trades, t => t.Src == "ws");
        Assert.All(trades.Where(t => t.Src == "ws"), t => Assert.True(t.Count >= 1));
        Assert.Contains(trades, t => t.Count > 1); // aggregated: some trade stands for several fills
        Assert.Equal(trades.Count, trades.Select(t => t.TradeId).Distinct().Count());
    }

    [Fact]
    public async Task Run_UnknownInstrument_FailsWithClearError()
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 50, Time = time });
        var service = new ExporterService(Options(sim, "okx", "DOGE-USDT-SWAP"), _vault, time, new CollectingSink().Logger());
        var ex = await Assert.ThrowsAsync<InstrumentsUnknownException>(() => service.RunAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Contains("DOGE-USDT-SWAP: unknown instrument", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_vault.InstrumentsSnapshot("okx"))); // the metadata snapshot was saved
    }

    [Fact]
    public async Task Run_BinanceServerPings_AreAnsweredByClientWebSocket()
    {
        // The simulator pings every 200 ms and drops a connection whose pong is 1 s late. Those are the ASP.NET
        // Core WebSocket keep-alive's own timers (real time, not on any TimeProvider): what is checked is that
        // the connection outlives several of its timeouts, so real time must pass here. The window is a number
        // of keep-alive timeouts measured from the first trade, not a guess at how long anything takes.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 20, Time = time,
            BinancePingInterval = TimeSpan.FromMilliseconds(200), BinancePongTimeout = TimeSpan.FromSeconds(1),
        });
        var service = new ExporterService(Options(sim, "binance", "BTCUSDT"), _vault, time, new CollectingSink().Logger());
        var driver = new FakeClockDriver(time, sim, service);
        var keepAliveTimeouts = 0;
        await RunUntilAsync(service, async () =>
        {
            await driver.RunUntilAsync(() => service.Recorders.Count == 1 && service.Recorders[0].Trades > 0, "the first trade", TimeSpan.FromSeconds(30));
            // The fake clock stands still meanwhile: only the keep-alive runs (a dropped link would show as a close
            // and a reconnect at once, without the clock).
            var window = System.Diagnostics.Stopwatch.StartNew();
            await Waits.UntilAsync(() =>
            {
                keepAliveTimeouts = (int)(window.Elapsed / sim.Context.Options.BinancePongTimeout);
                return keepAliveTimeouts >= 3 || sim.Context.Closes.Count > 0 || service.Reconnects > 0;
            }, Bound, "three keep-alive timeouts of real time");
        });

        Assert.True(keepAliveTimeouts >= 3);
        Assert.DoesNotContain(sim.Context.Closes, c => c.ServerInitiated); // the server dropped no connection for a late pong
        Assert.Equal(0, service.Reconnects);
        Assert.Equal(1, sim.Context.Connections);
        Assert.True(service.Recorders[0].Trades > 0);
    }

    [Fact]
    public async Task Run_RestartWithoutRest_UsesTheMetaSnapshot()
    {
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using (var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTCUSDT"], Rate = 20, Time = time }))
        {
            var first = new ExporterService(Options(sim, "binance", "BTCUSDT"), _vault, time, new CollectingSink().Logger());
            await RunUntilAsync(first, () => StartedAsync(time, first));
        }

        Assert.True(File.Exists(_vault.InstrumentsSnapshot("binance")));

        // Nothing listens at this port now: the instrument list must come from meta/.
        var sink = new CollectingSink();
        var dead = new Uri("http://127.0.0.1:1");
        var options = new ExporterOptions { Exchange = "binance", InstIds = ["BTCUSDT"], BinanceRest = dead, BinanceWs = new Uri("ws://127.0.0.1:1") };
        var service = new ExporterService(options, _vault, time, sink.Logger());
        await RunUntilAsync(service, () => StartedAsync(time, service)); // through the REST client's retries
        Assert.Equal("BTC", service.Recorders[0].Spec.CtValCcy);
        Assert.Contains(sink.Events, e => e.Text.Contains("using the snapshot", StringComparison.Ordinal));
    }

    /// <summary>Waits until the service has started, moving the fake clock on while it waits (REST retry delays run on it).</summary>
    private static async Task StartedAsync(FakeTimeProvider time, ExporterService service)
    {
        await Waits.UntilAsync(() =>
        {
            if (!service.Started.IsCompleted)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            return service.Started.IsCompleted;
        }, Bound, "the exporter to start");
        await service.Started;
    }

    /// <summary>Moves the simulator alone until its truth holds a trade, and starts the exporter's state just before it.</summary>
    private async Task<RawTrade> SeedStateAtFirstTruthTradeAsync(FakeTimeProvider time, SimulatorHost sim, string truth, string exchange, string instId)
    {
        var path = TruthLayout.TradesPath(truth, exchange, instId);
        await FakeClockDriver.AdvanceSimulatorUntilAsync(time, sim, () => File.Exists(path) && RawTradeFile.ReadAll(path).Count > 0,
            "the first truth trade of " + instId, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var trades = RawTradeFile.ReadAll(path);
        var first = trades.MinBy(t => long.Parse(t.TradeId, System.Globalization.CultureInfo.InvariantCulture))!;
        new StateFile<ExporterState>(_vault.ExporterState(exchange, instId)).Write(new ExporterState
        {
            Exchange = exchange, InstId = instId,
            LastTradeId = (long.Parse(first.TradeId, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            LastTs = first.Ts, WatermarkTs = first.Ts,
        });
        return first;
    }
}
