using Pipeline.Exporter.Simulator;
using Pipeline.Exporter.Simulator.Faults;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Serilog.Events;

namespace Pipeline.Exporter.Tests.Service;

/// <summary>The exporter in-process against the loopback simulator (real WebSockets and HTTP).</summary>
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

    private static async Task RunForAsync(ExporterService service, TimeSpan duration)
    {
        using var cts = new CancellationTokenSource(duration);
        await service.RunAsync(cts.Token);
    }

    [Fact]
    public async Task Run_StallFault_IsDetectedAndRecoveredWithoutLosingTrades()
    {
        var truth = _dir.File("truth");
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTC-USDT-SWAP"], Rate = 100, Speed = 2, Seed = 3, TruthDir = truth,
            Faults = FaultSpec.Parse("stall=2s"),
        });
        var first = await SeedStateAtFirstTruthTradeAsync(truth, "okx", "BTC-USDT-SWAP");
        var sink = new CollectingSink();
        // A stalled socket answers no ping either: that, not the trade silence, is the dead link.
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with
            {
                PingInterval = TimeSpan.FromMilliseconds(300), PongTimeout = TimeSpan.FromSeconds(1),
            },
            _vault, TimeProvider.System, sink.Logger());
        await RunForAsync(service, TimeSpan.FromSeconds(9));

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
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 50 });
        var sink = new CollectingSink();
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with { WsUrlOverride = sim.Endpoints.OkxWsPublic },
            _vault, TimeProvider.System, sink.Logger());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = service.RunAsync(cts.Token);
        while (service.ErrorEvents == 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await cts.CancelAsync();
        await run;

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
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTCUSDT"], Rate = 50 });
        var sink = new CollectingSink();
        var wrong = new Uri(SimulatorEndpoints.Text(sim.Endpoints.BinanceWs) + "/stream?streams=btcusdt@aggTrade");
        var service = new ExporterService(Options(sim, "binance", "BTCUSDT") with { WsUrlOverride = wrong, DataSilenceTimeout = TimeSpan.FromSeconds(1) },
            _vault, TimeProvider.System, sink.Logger());
        await RunForAsync(service, TimeSpan.FromSeconds(3));
        var alarm = Assert.Single(sink.Events.Where(e => e.Text.StartsWith("ALARM", StringComparison.Ordinal)).Take(1));
        Assert.Equal(LogEventLevel.Error, alarm.Level);
        Assert.Contains("/stream?streams=btcusdt@aggTrade", alarm.Text, StringComparison.Ordinal);
        Assert.Contains("wrong host or path", alarm.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OkxAggregatedTradesChannel_RecordsCount()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 200, Speed = 2 });
        var service = new ExporterService(Options(sim, "okx", "BTC-USDT-SWAP") with { Channel = "trades" }, _vault, TimeProvider.System,
            new CollectingSink().Logger());
        await RunForAsync(service, TimeSpan.FromSeconds(3));
        var day = _vault.RawDays("okx", "BTC-USDT-SWAP")[^1];
        var trades = RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day));
        Assert.NotEmpty(trades);
        Assert.All(trades.Where(t => t.Src == "ws"), t => Assert.True(t.Count >= 1));
        Assert.Equal(trades.Count, trades.Select(t => t.TradeId).Distinct().Count());
    }

    [Fact]
    public async Task Run_UnknownInstrument_FailsWithClearError()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 50 });
        var service = new ExporterService(Options(sim, "okx", "DOGE-USDT-SWAP"), _vault, TimeProvider.System, new CollectingSink().Logger());
        var ex = await Assert.ThrowsAsync<InstrumentsUnknownException>(() => RunForAsync(service, TimeSpan.FromSeconds(5)));
        Assert.Contains("DOGE-USDT-SWAP: unknown instrument", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_vault.InstrumentsSnapshot("okx"))); // the metadata snapshot was saved
    }

    [Fact]
    public async Task Run_BinanceServerPings_AreAnsweredByClientWebSocket()
    {
        // The simulator pings every 200 ms and drops a connection whose pong is 1 s late.
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 20, BinancePingInterval = TimeSpan.FromMilliseconds(200), BinancePongTimeout = TimeSpan.FromSeconds(1),
        });
        var service = new ExporterService(Options(sim, "binance", "BTCUSDT"), _vault, TimeProvider.System, new CollectingSink().Logger());
        await RunForAsync(service, TimeSpan.FromSeconds(4));
        Assert.Equal(0, service.Reconnects);
        Assert.True(service.Recorders[0].Trades > 0);
    }

    [Fact]
    public async Task Run_RestartWithoutRest_UsesTheMetaSnapshot()
    {
        await using (var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTCUSDT"], Rate = 20 }))
        {
            await RunForAsync(new ExporterService(Options(sim, "binance", "BTCUSDT"), _vault, TimeProvider.System, new CollectingSink().Logger()),
                TimeSpan.FromSeconds(1.5));
        }

        // Nothing listens at this port now: the instrument list must come from meta/.
        var sink = new CollectingSink();
        var dead = new Uri("http://127.0.0.1:1");
        var options = new ExporterOptions { Exchange = "binance", InstIds = ["BTCUSDT"], BinanceRest = dead, BinanceWs = new Uri("ws://127.0.0.1:1") };
        var service = new ExporterService(options, _vault, TimeProvider.System, sink.Logger());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = service.RunAsync(cts.Token);
        await service.Started.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("BTC", service.Recorders[0].Spec.CtValCcy);
        await cts.CancelAsync();
        await run;
        Assert.Contains(sink.Events, e => e.Text.Contains("using the snapshot", StringComparison.Ordinal));
    }

    private async Task<RawTrade> SeedStateAtFirstTruthTradeAsync(string truth, string exchange, string instId)
    {
        var path = TruthLayout.TradesPath(truth, exchange, instId);
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(path) && RawTradeFile.ReadAll(path) is { Count: > 0 } trades)
            {
                var first = trades.MinBy(t => long.Parse(t.TradeId, System.Globalization.CultureInfo.InvariantCulture))!;
                new StateFile<ExporterState>(_vault.ExporterState(exchange, instId)).Write(new ExporterState
                {
                    Exchange = exchange, InstId = instId,
                    LastTradeId = (long.Parse(first.TradeId, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    LastTs = first.Ts, WatermarkTs = first.Ts,
                });
                return first;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no truth for " + instId);
    }
}
