using System.Globalization;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Calc;

/// <summary>
/// Kills <c>pipeline calc</c> (a real child process) with SIGKILL at random moments during a large
/// day, reruns it, and requires the derived files to be byte-identical to an uninterrupted run.
/// </summary>
public sealed class CalcCrashTests : IDisposable
{
    private const string Exchange = "okx";
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly DateOnly Day0 = new(2025, 12, 13);
    private static readonly DateOnly Day1 = new(2025, 12, 14);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Calc_KilledAtRandomMoments_OutputsByteIdenticalToUninterruptedRun()
    {
        var killed = new VaultLayout(Path.Combine(_root, "killed"));
        var clean = new VaultLayout(Path.Combine(_root, "clean"));
        WriteRaw(killed);
        CopyRaw(killed, clean);
        var end = TradeTime.DayStartMs(Day1.AddDays(1)) + 10_000;

        // Reference: one uninterrupted run with the final watermark; its processor time is the work of a whole run.
        SetWatermark(clean, end);
        var fullRunCpu = await RunToEnd(clean);

        // Kill runs while the watermark moves through the day, so kills land in reading, emitting and committing.
        // The kill moment is a random amount of work (processor time of the child, which a busy machine does not
        // stretch, unlike wall time) within the expected run, which shrinks as work gets committed: a run that
        // finishes first teaches the next attempt its length, so kills keep landing.
        var random = new Random(12345);
        var kills = 0;
        var runCpu = fullRunCpu;
        for (var attempt = 0; kills < 12 && attempt < 40; attempt++)
        {
            SetWatermark(killed, TradeTime.DayStartMs(Day1) + (Math.Min(kills + 1, 12) * TradeTime.MsPerDay / 12));
            var (wasKilled, usedCpu) = await RunAndKill(killed, runCpu * (0.05 + (random.NextDouble() * 0.85)));
            if (wasKilled)
            {
                kills++;
            }
            else
            {
                runCpu = usedCpu;
            }
        }

        SetWatermark(killed, end);
        await RunToEnd(killed);
        Assert.True(kills >= 10, $"only {kills} runs were killed before they finished");
        var expected = Snapshot(clean);
        Assert.Equal(2 * Pipeline.Calculators.Runner.CalculatorRunner.Calcs.Count, expected.Count); // every calculator, both days
        Assert.Equal(expected, Snapshot(killed));
    }

    private static void WriteRaw(VaultLayout layout)
    {
        var random = new Random(99);
        var id = 1_000_000_000L;
        foreach (var (day, count) in new[] { (Day0, 20_000), (Day1, 400_000) })
        {
            using var appender = JsonlAppender.Open(layout.RawDayJsonl(Exchange, InstId, day));
            var start = TradeTime.DayStartMs(day);
            var price = 650_000L;
            for (var i = 0; i < count; i++)
            {
                price += random.Next(-3, 4);
                var ts = start + (long)((double)i / count * TradeTime.MsPerDay);
                var qty = (random.Next(1, 5000) / 1000m).ToString(CultureInfo.InvariantCulture);
                RawTradeWriter.Write(appender, new RawTrade
                {
                    Exchange = Exchange, InstId = InstId, TradeId = (id++).ToString(CultureInfo.InvariantCulture), Ts = ts,
                    Px = (price / 10m).ToString("0.0", CultureInfo.InvariantCulture), Sz = qty, Side = random.Next(2) == 0 ? "buy" : "sell",
                    CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = qty, RecvTs = ts + 3, Src = "ws",
                });
                appender.EndLine();
            }
        }
    }

    private static void CopyRaw(VaultLayout from, VaultLayout to)
    {
        foreach (var file in Directory.EnumerateFiles(from.RawDir, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to.RawDir, Path.GetRelativePath(from.RawDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void SetWatermark(VaultLayout layout, long ts) =>
        new StateFile<ExporterState>(layout.ExporterState(Exchange, InstId)).Write(new ExporterState
        {
            Exchange = Exchange, InstId = InstId, WatermarkTs = ts, Connection = "connected",
        });

    private static PipelineProcess Start(VaultLayout layout) =>
        PipelineProcess.Start("calc", "--vault", layout.Root, "--exchange", Exchange, "--inst", InstId, "--log-level", "warning");

    /// <summary>Runs calc to its end (bounded), requires exit 0, and returns the processor time it was last seen using.</summary>
    private static async Task<TimeSpan> RunToEnd(VaultLayout layout)
    {
        using var process = Start(layout);
        var cpu = TimeSpan.Zero;
        await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            cpu = process.CpuTime ?? cpu;
            return process.HasExited;
        }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, "calc to finish");
        var code = await process.WaitForExitAsync(PipelineProcess.DefaultBound);
        Assert.True(code == 0, "calc failed: " + process.Describe());
        return cpu;
    }

    /// <summary>
    /// Starts calc and SIGKILLs it once it has used <paramref name="cpuBudget"/> of processor time: whether the kill
    /// interrupted it (it had not ended by itself), and the processor time it was last seen using.
    /// </summary>
    private static async Task<(bool Killed, TimeSpan UsedCpu)> RunAndKill(VaultLayout layout, TimeSpan cpuBudget)
    {
        using var process = Start(layout);
        var cpu = TimeSpan.Zero;
        await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            cpu = process.CpuTime ?? cpu;
            return process.HasExited || cpu >= cpuBudget;
        }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, $"calc to use {cpuBudget.TotalMilliseconds:F0} ms of processor time or to finish");
        process.Kill(); // SIGKILL on Unix; a no-op when it already ended
        var code = await process.WaitForExitAsync(PipelineProcess.DefaultBound);
        if (code == 0)
        {
            return (false, cpu); // it finished before the kill
        }

        // Killed by the signal, never failed on its own: a failure would show as an error line.
        Assert.DoesNotContain("error:", process.Stderr, StringComparison.Ordinal);
        return (true, cpu);
    }

    private static SortedDictionary<string, string> Snapshot(VaultLayout layout)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(layout.DerivedDir, "*.jsonl", SearchOption.AllDirectories))
        {
            result[Path.GetRelativePath(layout.DerivedDir, file)] = File.ReadAllText(file);
        }

        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
