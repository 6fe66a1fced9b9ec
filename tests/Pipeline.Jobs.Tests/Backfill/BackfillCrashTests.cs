using System.Globalization;
using Pipeline.Testing;
using Pipeline.Simulator;
using Pipeline.Simulator.Truth;
using Pipeline.Jobs.Tests.Export;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Jobs.Tests.Backfill;

/// <summary>The real <c>pipeline backfill</c> binary SIGKILLed at random points, then run to the end: the vault is exact.</summary>
public sealed class BackfillCrashTests : IDisposable
{
    private const int Days = 4;

    // Fixed days well in the past (whatever today is), and a simulator whose market starts a few days after them:
    // the same trades on every run, and days the backfill accepts (at most yesterday).
    private static readonly DateOnly From = new(2025, 6, 1);
    private static readonly DateTimeOffset MarketStart = new(2025, 6, 8, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Backfill_KilledRepeatedly_RerunEndsWithEveryTradeOnce()
    {
        var from = From;
        var to = from.AddDays(Days - 1);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 1.5, Seed = 9, Start = MarketStart, PublishInterval = TimeSpan.FromSeconds(1),
        });
        var vault = _dir.File("vault");
        string[] args = ["backfill", "--exchange", "binance", "--inst", "BTCUSDT",
            "--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "--rest-url", sim.Endpoints.BinanceRest.ToString(), "--archive-url", sim.Endpoints.Archive.ToString(),
            "--vault", vault, "--no-recalc", "--log-level", "warning"];
        var random = new Random(42);
        var statePath = Pipeline.Exporter.Backfill.BackfillService.StatePath(new VaultLayout(vault), "binance", "BTCUSDT");
        int Done() => File.Exists(statePath) ? System.Text.RegularExpressions.Regex.Count(File.ReadAllText(statePath), "\"completedAt\"") : 0;
        var midRun = 0;
        for (var i = 0; i < 6 && Done() < Days; i++)
        {
            // Kill at a random point of the work after a day has been recorded: while the next one downloads, parses,
            // merges or renames. The point is a random amount of the child's processor time (work done, which a busy
            // machine does not stretch) after the day was seen done.
            var before = Done();
            using var child = PipelineProcess.Start(args);
            var cpu = TimeSpan.Zero;
            await Waits.UntilAsync(PipelineProcess.Sampled(() =>
            {
                cpu = child.CpuTime ?? cpu;
                return Done() != before || child.HasExited;
            }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, "backfill to record a day or end");
            var budget = cpu + TimeSpan.FromMilliseconds(random.Next(0, 250));
            await Waits.UntilAsync(PipelineProcess.Sampled(() =>
            {
                cpu = child.CpuTime ?? cpu;
                return cpu >= budget || child.HasExited;
            }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, $"backfill to use {budget.TotalMilliseconds:F0} ms of processor time or end");
            child.Kill();
            midRun += Done() is > 0 and < Days ? 1 : 0;
        }

        Assert.True(midRun > 0, "no kill landed between the first and the last day");

        using (var last = PipelineProcess.Start(args))
        {
            var code = await last.WaitForExitAsync(PipelineProcess.DefaultBound);
            Assert.True(code == 0, last.Describe());
        }

        // Truth: the generator's trades of those days.
        var truth = _dir.File("truth");
        var path = TruthLayout.TradesPath(truth, "binance", "BTCUSDT");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = JsonlAppender.Open(path))
        {
            foreach (var trade in SimRawTrades.Between(sim.Markets["BTCUSDT"], TradeTime.DayStartMs(from), TradeTime.DayStartMs(to) + TradeTime.MsPerDay - 1))
            {
                RawTradeWriter.Write(file, trade);
                file.EndLine();
            }

            file.Sync();
        }

        var report = new RawVerifier(new VaultLayout(vault)).Verify(new VerifyOptions
        {
            Exchanges = ["binance"], InstIds = ["BTCUSDT"], TruthDir = truth,
            FromTs = TradeTime.DayStartMs(from), ToTs = TradeTime.DayStartMs(to) + TradeTime.MsPerDay - 1,
        });
        Assert.True(report.Lines > 100_000, $"{report.Lines} lines");
        Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L), (report.Missing, report.Duplicates, report.Extra, report.Torn, report.Unparsable, report.GapCount));
        Assert.True(report.ContentMismatches == 0, string.Join("\n", report.Instruments.SelectMany(i => i.Mismatches)));
    }
}
