using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Simulator;
using Pipeline.Exporter.Simulator.Faults;
using Pipeline.Jobs.Cli;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Xunit.Abstractions;

namespace Pipeline.Jobs.Tests.Export;

/// <summary>
/// Crash safety for real: the exporter binary records from the simulator (disconnects, duplicates,
/// reordering, malformed frames), is SIGKILLed at random moments and restarted, and the vault must hold
/// every trade of the ground truth exactly once, each with the truth's content (every field but recvTs/src;
/// the truth computes qtyBase on its own, so the inverse BTC-USD-SWAP's quantities are checked too).
/// </summary>
public sealed class ExportCrashTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] OkxInstruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP"];
    private static readonly string[] BinanceInstruments = ["BTCUSDT", "ETHUSDT"];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_KilledAtRandomAndRestarted_VaultHoldsEveryTruthTradeOnce()
    {
        var truth = _dir.File("truth");
        var vault = new VaultLayout(_dir.File("vault"));
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [.. OkxInstruments, .. BinanceInstruments],
            Rate = 150,
            Speed = 2,
            Seed = 11,
            Faults = FaultSpec.Parse("disconnect=5s,dup=0.02,reorder=0.01,malformed=0.001"),
            TruthDir = truth,
        });

        // The exporter resumes "after downtime" from just before the first truth trade, so the whole
        // truth span is the exporter's to cover (start-up REST fill included).
        var firstTs = new Dictionary<string, long>();
        foreach (var (exchange, instIds) in new[] { ("okx", OkxInstruments), ("binance", BinanceInstruments) })
        {
            foreach (var instId in instIds)
            {
                var first = await FirstTruthTradeAsync(TruthLayout.TradesPath(truth, exchange, instId));
                firstTs[instId] = first.Ts;
                new StateFile<ExporterState>(vault.ExporterState(exchange, instId)).Write(new ExporterState
                {
                    Exchange = exchange, InstId = instId, LastTradeId = (long.Parse(first.TradeId, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    LastTs = first.Ts, WatermarkTs = first.Ts,
                });
            }
        }

        var random = new Random(5);
        var kills = 0;
        for (var round = 0; round < 5; round++)
        {
            using var okx = StartOkx(sim, vault);
            using var binance = StartBinance(sim, vault);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1500, 4000)));
            kills += KillRunning(okx);
            await Task.Delay(random.Next(0, 400));
            kills += KillRunning(binance);
        }

        using (var okx = StartOkx(sim, vault))
        using (var binance = StartBinance(sim, vault))
        {
            // Let the final run catch up (REST fill of the last outage) close to what the simulator has published.
            var caughtUp = await Waits.UntilAsync(() => Watermark(vault) >= sim.PublishedThroughMs - 4000, TimeSpan.FromSeconds(90),
                "the final run's watermark to reach what the simulator published", throwOnTimeout: false);
            output.WriteLine($"caught up: {caughtUp}; published through {sim.PublishedThroughMs}, watermark {Watermark(vault)}");
            Assert.True(caughtUp, $"the restarted exporters did not catch up within 90 s: published through {sim.PublishedThroughMs}, watermark {Watermark(vault)}");
            Assert.Equal(0, await okx.TerminateAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(0, await binance.TerminateAsync(TimeSpan.FromSeconds(15)));
            output.WriteLine(okx.Stderr.Split('\n').TakeLast(5).Aggregate(string.Empty, (a, b) => a + b + "\n"));
        }

        Assert.Equal(10, kills); // every kill hit a running exporter: each round was a real crash
        foreach (var (exchange, instIds) in new[] { ("okx", OkxInstruments), ("binance", BinanceInstruments) })
        {
            // Span: from the first truth trade to just below the exporter's final watermark.
            var to = instIds.Min(id => State(vault, exchange, id).WatermarkTs) - 1;
            var report = new RawVerifier(vault).Verify(new VerifyOptions
            {
                Exchanges = [exchange], InstIds = instIds, FromTs = instIds.Min(id => firstTs[id]), ToTs = to, TruthDir = truth,
            });
            foreach (var i in report.Instruments)
            {
                var s = State(vault, exchange, i.InstId);
                output.WriteLine($"{exchange} {i.InstId}: {i.Lines} lines, dup {i.Duplicates}, torn {i.Torn}, missing {i.Missing}, extra {i.Extra}, gaps {i.GapCount}, " +
                    $"compared {i.Compared}, differing {i.ContentMismatches}, known gaps {i.KnownGaps.Count}; " +
                    $"state: {s.Counters.Trades} trades, {s.Counters.DuplicatesDropped} dups dropped, {s.Counters.GapFilled} gap-filled, {s.Counters.Reconnects} reconnects, {s.Counters.Quarantined} quarantined; " +
                    string.Join(" | ", i.Problems.Take(3).Concat(i.Mismatches.Take(3).Select(m => m.ToString()))));
            }

            // Content, not only ids: every field of every truth trade (all but recvTs/src), through the CLI as a user runs it.
            Assert.Equal(0, report.ContentMismatches);
            Assert.Equal(0, report.KnownGapCount);
            Assert.True(report.Compared > 2000, $"{exchange}: compared {report.Compared} of {report.Lines}");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await PipelineCli.RunAsync(["verify", "--vault", vault.Root, "--exchange", exchange, "--inst", string.Join(',', instIds),
                "--from", instIds.Min(id => firstTs[id]).ToString(CultureInfo.InvariantCulture), "--to", to.ToString(CultureInfo.InvariantCulture),
                "--truth", truth, "--json"], stdout, stderr);
            Assert.True(code == 0, $"verify --truth exit {code}: {stderr}\n{stdout}");
            using var json = JsonDocument.Parse(stdout.ToString());
            Assert.True(json.RootElement.GetProperty("clean").GetBoolean());
            Assert.Equal(0, json.RootElement.GetProperty("contentMismatches").GetInt64());
            // The simulator is still running, so its truth range may have grown since the first verification.
            Assert.True(json.RootElement.GetProperty("compared").GetInt64() >= report.Compared);

            Assert.Equal(0, report.Missing);
            Assert.Equal(0, report.Duplicates);
            Assert.Equal(0, report.Torn);
            Assert.Equal(0, report.Unparsable);
            Assert.Equal(0, report.Extra);
            Assert.Equal(0, report.WrongDate);
            Assert.Equal(0, report.GapCount);
            Assert.True(report.Lines > 2000, $"{exchange}: only {report.Lines} lines");
        }
    }

    private static PipelineProcess StartOkx(SimulatorHost sim, VaultLayout vault) => PipelineProcess.Start(
        "export", "--exchange", "okx", "--inst", string.Join(',', OkxInstruments), "--vault", vault.Root, "--log-level", "warning",
        "--okx-ws-public", sim.Endpoints.OkxWsPublic.ToString(), "--okx-ws-business", sim.Endpoints.OkxWsBusiness.ToString(),
        "--okx-rest", SimulatorEndpoints.Text(sim.Endpoints.OkxRest), "--rest-interval", "100");

    private static PipelineProcess StartBinance(SimulatorHost sim, VaultLayout vault) => PipelineProcess.Start(
        "export", "--exchange", "binance", "--inst", string.Join(',', BinanceInstruments), "--vault", vault.Root, "--log-level", "warning",
        "--binance-ws", SimulatorEndpoints.Text(sim.Endpoints.BinanceWs), "--binance-rest", SimulatorEndpoints.Text(sim.Endpoints.BinanceRest),
        "--rest-interval", "50");

    private static ExporterState State(VaultLayout vault, string exchange, string instId) =>
        new StateFile<ExporterState>(vault.ExporterState(exchange, instId)).Read()!;

    private static long Watermark(VaultLayout vault)
    {
        try
        {
            return OkxInstruments.Select(id => State(vault, "okx", id).WatermarkTs)
                .Concat(BinanceInstruments.Select(id => State(vault, "binance", id).WatermarkTs)).Min();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<RawTrade> FirstTruthTradeAsync(string path)
    {
        for (var i = 0; i < 100; i++)
        {
            if (File.Exists(path))
            {
                var trades = RawTradeFile.ReadAll(path);
                if (trades.Count > 0)
                {
                    return trades.MinBy(t => long.Parse(t.TradeId, System.Globalization.CultureInfo.InvariantCulture))!;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no truth trade in " + path);
    }

    /// <summary>SIGKILLs the exporter; 1 when it was still running (a crash), 0 when it had already exited.</summary>
    private static int KillRunning(PipelineProcess process)
    {
        var running = !process.HasExited;
        process.Kill();
        return running ? 1 : 0;
    }
}
