using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Simulator.Faults;
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

        // Each round: both exporters run until each has recorded trades in this round, then each is SIGKILLed after a
        // random amount of further work (processor time, which a busy machine does not stretch): mid-recording.
        var random = new Random(5);
        var kills = 0;
        for (var round = 0; round < 5; round++)
        {
            var okxBytes = RawBytes(vault, "okx");
            var binanceBytes = RawBytes(vault, "binance");
            using var okx = StartOkx(sim, vault);
            using var binance = StartBinance(sim, vault);
            await okx.WaitWhileRunningAsync(() => RawBytes(vault, "okx") > okxBytes, $"round {round}: the okx exporter to record trades");
            await binance.WaitWhileRunningAsync(() => RawBytes(vault, "binance") > binanceBytes, $"round {round}: the binance exporter to record trades");
            kills += await KillMidRecordingAsync(okx, TimeSpan.FromMilliseconds(random.Next(0, 600)));
            kills += await KillMidRecordingAsync(binance, TimeSpan.FromMilliseconds(random.Next(0, 200)));
        }

        using (var okx = StartOkx(sim, vault))
        using (var binance = StartBinance(sim, vault))
        {
            // The final run must catch up: fill the last outage by REST and record past everything the simulator had
            // published when it started, so every crash's gap lies below its watermark. (Not "close to what is being
            // published now": on two busy cores an exporter may fall behind a live 1,200 trades/s for a while.)
            var target = sim.PublishedThroughMs;
            var caughtUp = await Waits.UntilAsync(PipelineProcess.Sampled(() => Watermark(vault) >= target), TimeSpan.FromSeconds(90),
                "the final run's watermark to pass what the simulator had published when it started", throwOnTimeout: false);
            output.WriteLine($"caught up: {caughtUp}; target {target}, published through {sim.PublishedThroughMs}, watermark {Watermark(vault)}");
            Assert.True(caughtUp, $"the restarted exporters did not catch up within 90 s: target {target}, published through {sim.PublishedThroughMs}, watermarks {Watermarks(vault)}\n"
                + okx.Describe() + "\n" + binance.Describe());
            Assert.True(await okx.TerminateAsync(PipelineProcess.DefaultBound) == 0, okx.Describe());
            Assert.True(await binance.TerminateAsync(PipelineProcess.DefaultBound) == 0, binance.Describe());
            output.WriteLine(okx.Stderr.Split('\n').TakeLast(5).Aggregate(string.Empty, (a, b) => a + b + "\n"));
        }

        Assert.True(kills == 10, $"only {kills} of 10 kills interrupted a running exporter that had recorded trades in its round");
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

    private static string Watermarks(VaultLayout vault) => string.Join(", ",
        OkxInstruments.Select(id => ("okx", id)).Concat(BinanceInstruments.Select(id => ("binance", id)))
            .Select(x => $"{x.Item1} {x.id} {State(vault, x.Item1, x.id).WatermarkTs} ({State(vault, x.Item1, x.id).Connection})"));

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
        RawTrade? first = null;
        await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            var trades = File.Exists(path) ? RawTradeFile.ReadAll(path) : [];
            first = trades.Count > 0 ? trades.MinBy(t => long.Parse(t.TradeId, CultureInfo.InvariantCulture)) : null;
            return first is not null;
        }), TimeSpan.FromSeconds(60), "a truth trade in " + path);
        return first!;
    }

    /// <summary>The bytes of an exchange's raw day files so far.</summary>
    private static long RawBytes(VaultLayout vault, string exchange)
    {
        var dir = Path.Combine(vault.RawDir, exchange);
        try
        {
            return Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, "*.jsonl", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
                : 0;
        }
        catch (IOException)
        {
            return 0; // a file renamed away between listing and reading its length
        }
    }

    /// <summary>
    /// SIGKILLs the exporter after it has used <paramref name="work"/> more processor time; 1 when the kill
    /// interrupted it (it was still running: a real crash), 0 when it had ended by itself.
    /// </summary>
    private static async Task<int> KillMidRecordingAsync(PipelineProcess process, TimeSpan work)
    {
        var cpu = process.CpuTime ?? TimeSpan.Zero;
        var budget = cpu + work;
        await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            cpu = process.CpuTime ?? cpu;
            return cpu >= budget || process.HasExited;
        }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, $"the exporter to use {work.TotalMilliseconds:F0} ms more processor time");
        var running = !process.HasExited;
        process.Kill();
        return running && process.ExitCode != 0 ? 1 : 0;
    }
}
