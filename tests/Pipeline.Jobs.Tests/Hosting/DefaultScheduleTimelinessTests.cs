using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Config;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// Minutes on time: <c>pipeline run</c> with the built-in calculators schedule (no schedule.calculators in its
/// config) records a live simulated market on the real clock, and each minute M must appear in bars_1m within
/// 10 s after M+1m+lateness. Measured from the bars file's write time when each minute first shows up. The old
/// default (second 0 with 2 s lateness) emitted M at M+2m, 58 s after it was final.
/// </summary>
public sealed class DefaultScheduleTimelinessTests : IDisposable
{
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [UnixFact("stops the host with SIGTERM")]
    public async Task Run_DefaultSchedule_EmitsEachMinuteWithin10sAfterItIsFinal()
    {
        // Speed 1 from now: event time is the wall clock, as with a real exchange. 50 trades/s keep the watermark moving.
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = [InstId], Rate = 50, Speed = 1, Seed = 5 });
        var vaultDir = _dir.File("vault");
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, $"""
            {SimEndpointsYaml.OkxTrades(sim, vaultDir, InstId)}
            schedule:
              drainTimeoutSeconds: 30
            calculators:
              latenessSeconds: {Lateness.TotalSeconds.ToString(CultureInfo.InvariantCulture)}
            """);
        Assert.Equal(CalculatorSchedule.DefaultCron(Lateness),
            PipelineConfigLoader.Load(config, new Dictionary<string, string>(), [], _dir.Path).Schedule.Calculators);

        var bars = new VaultLayout(vaultDir).DerivedInstrumentDir("bars_1m", "okx", InstId);
        var emitted = new SortedDictionary<long, DateTimeOffset>();
        using (var process = PipelineProcess.Start("run", "--config", config, "--log-level", "warning"))
        {
            // The first minute (begun before the start): at most about 70 s of wall time. One minute is enough to catch a late
            // schedule (the old default wrote it 58 s late); a second one doubled the suite's longest test for no new failure.
            await process.WaitWhileRunningAsync(() => Observe(bars, emitted) >= 1, "the first minute of bars_1m", TimeSpan.FromMinutes(3));
            var code = await process.TerminateAsync(PipelineProcess.DefaultBound);
            Assert.True(code == 0, process.Describe());
        }

        foreach (var (minute, at) in emitted)
        {
            var final = DateTimeOffset.FromUnixTimeMilliseconds(minute) + TimeSpan.FromMinutes(1) + Lateness;
            var after = at - final;
            Assert.True(after >= TimeSpan.Zero && after <= Bound,
                $"minute {Iso(minute)} was final at {final:HH:mm:ss.fff} and written at {at:HH:mm:ss.fff}: {after.TotalSeconds:F1} s after (bound {Bound.TotalSeconds:F0} s)");
        }
    }

    /// <summary>
    /// Records the first write time of every complete bars line and returns how many minutes are known. The file time is
    /// read after its content, so a minute is never credited with an earlier write than the one that made it.
    /// </summary>
    private static int Observe(string dir, SortedDictionary<long, DateTimeOffset> emitted)
    {
        foreach (var day in VaultLayout.ListDays(dir))
        {
            var path = Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"));
            string text;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                text = reader.ReadToEnd();
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            var complete = text[..(text.LastIndexOf('\n') + 1)];
            foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                var minute = DateTimeOffset.Parse(doc.RootElement.GetProperty("minute").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                emitted.TryAdd(minute, written);
            }
        }

        return emitted.Count;
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u", CultureInfo.InvariantCulture);
}
