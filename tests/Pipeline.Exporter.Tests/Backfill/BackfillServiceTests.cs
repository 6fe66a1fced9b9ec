using System.Text;
using Pipeline.Exporter.Backfill;
using Pipeline.Simulator;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Serilog;

namespace Pipeline.Exporter.Tests.Backfill;

/// <summary>Backfill in-process against the loopback simulator's archives and REST (real HTTP, real files).</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BackfillServiceTests : IDisposable
{
    private const double Rate = 0.1;
    private static readonly ILogger Quiet = new LoggerConfiguration().CreateLogger();
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    // A fixed "today" (not the machine's date): 06:00 UTC, so Binance aggTrades REST (two days back) reaches all of yesterday.
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 6, 0, 0, TimeSpan.Zero);
    private readonly DateOnly _today = DateOnly.FromDateTime(Now.UtcDateTime);
    private readonly FixedStartClock _time = new(Now);

    public BackfillServiceTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    private Task<SimulatorHost> StartSimAsync(SimulatorOptions? options = null) =>
        SimulatorHost.StartAsync((options ?? new SimulatorOptions()) with
        {
            Start = _time.GetUtcNow(),
            Instruments = ["BTC-USDT-SWAP", "BTCUSDT"],
            Rate = Rate,
            Seed = 11,
            OkxHistoryRateLimit = 100_000,
            PublishInterval = TimeSpan.FromSeconds(1),
        });

    private static BackfillOptions Options(SimulatorHost sim, string exchange, string instId, DateOnly from, DateOnly to) => new()
    {
        Exchange = exchange,
        InstIds = [instId],
        From = from,
        To = to,
        RestUrl = exchange == "okx" ? sim.Endpoints.OkxRest : sim.Endpoints.BinanceRest,
        ArchiveUrl = exchange == "okx" ? null : sim.Endpoints.Archive, // OKX: discovered through market-data-history
        RestInterval = TimeSpan.Zero,
        MaxRetries = 2,
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    private Task<BackfillReport> RunAsync(BackfillOptions options) =>
        new BackfillService(options, _vault, _time, Quiet).RunAsync(CancellationToken.None);

    private VerifyReport Verify(SimulatorHost sim, string exchange, string instId, DateOnly from, DateOnly to)
    {
        var truth = _dir.File("truth-" + instId);
        Assert.True(SimTruth.Write(truth, sim.Markets[instId], from, to) > 1000);
        return new RawVerifier(_vault).Verify(new VerifyOptions
        {
            Exchanges = [exchange], InstIds = [instId], TruthDir = truth,
            FromTs = TradeTime.DayStartMs(from), ToTs = TradeTime.DayStartMs(to) + TradeTime.MsPerDay - 1,
        });
    }

    private static void AssertClean(VerifyReport report)
    {
        Assert.True(report.Lines > 1000);
        Assert.Equal(0, report.Missing);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.Extra);
        Assert.Equal(0, report.WrongDate);
        Assert.Equal(0, report.GapCount);
        Assert.Equal(0, report.Torn + report.Unparsable);
        Assert.True(report.ContentMismatches == 0, string.Join("\n", report.Instruments.SelectMany(i => i.Mismatches)));
    }

    [Fact]
    public async Task Run_ThreeArchiveDaysOkxAndBinance_VerifyCleanAndRerunSkipsThem()
    {
        await using var sim = await StartSimAsync();
        var from = _today.AddDays(-5);
        var to = _today.AddDays(-3);
        foreach (var (exchange, instId) in new[] { ("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT") })
        {
            var report = await RunAsync(Options(sim, exchange, instId, from, to));
            Assert.Empty(report.Failed);
            Assert.All(report.Days, d => Assert.Equal((BackfillOutcome.Done, "archive"), (d.Outcome, d.Source)));
            AssertClean(Verify(sim, exchange, instId, from, to));
            Assert.Equal(report.Added, report.Fetched);
            Assert.All(RawTradeFile.ReadAll(_vault.RawDayJsonl(exchange, instId, from)), t => Assert.Equal("archive", t.Src));
            Assert.Equal(from, report.FirstTouchedDay[instId]);

            // Resumable: the state lists the days, a rerun skips them and leaves the files as they are.
            var before = File.ReadAllBytes(_vault.RawDayJsonl(exchange, instId, to));
            var again = await RunAsync(Options(sim, exchange, instId, from, to));
            Assert.All(again.Days, d => Assert.Equal(BackfillOutcome.Skipped, d.Outcome));
            Assert.Equal(before, File.ReadAllBytes(_vault.RawDayJsonl(exchange, instId, to)));
            Assert.True(File.Exists(BackfillService.StatePath(_vault, exchange, instId)));

            // --force redoes them: nothing new to add.
            var forced = await RunAsync(Options(sim, exchange, instId, to, to) with { Force = true });
            Assert.Equal((BackfillOutcome.Done, 0L), (forced.Days[0].Outcome, forced.Days[0].Added));
        }

        // OKX UTC+8 files: file D holds D-1 16:00 .. D 16:00 UTC; the UTC day has trades from both files, none from elsewhere.
        var okxDay = RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", from));
        var sixteen = TradeTime.DayStartMs(from) + (16 * 3_600_000L);
        Assert.Contains(okxDay, t => t.Ts < sixteen);
        Assert.Contains(okxDay, t => t.Ts >= sixteen);
        Assert.All(okxDay, t => Assert.Equal(from, t.Day));
        Assert.Equal(okxDay.OrderBy(t => t.Ts).ThenBy(t => long.Parse(t.TradeId, System.Globalization.CultureInfo.InvariantCulture)).Select(t => t.TradeId),
            okxDay.Select(t => t.TradeId));
    }

    [Fact]
    public async Task Run_DayPartlyRecordedByTheExporter_EndsWithOneLinePerTradeAndKeepsTheWsLines()
    {
        await using var sim = await StartSimAsync();
        var day = _today.AddDays(-2);
        var path = _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day);
        var expected = SimTruth.Day(sim.Markets["BTC-USDT-SWAP"], day);
        // The exporter recorded two stretches of the day (src ws), the second one before the first.
        var recorded = expected.Skip(expected.Count / 2).Take(500).Concat(expected.Skip(100).Take(700)).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = JsonlAppender.Open(path))
        {
            foreach (var trade in recorded)
            {
                RawTradeWriter.Write(file, trade with { RecvTs = trade.Ts + 5 });
                file.EndLine();
            }

            file.Sync();
        }

        var wsLines = File.ReadAllLines(path);
        var report = await RunAsync(Options(sim, "okx", "BTC-USDT-SWAP", day, day) with { Source = BackfillSource.Rest });

        var result = Assert.Single(report.Days);
        Assert.Equal((BackfillOutcome.Done, "rest"), (result.Outcome, result.Source));
        Assert.Equal(recorded.Count, result.Existing);
        Assert.Equal(expected.Count - recorded.Count, result.Added);
        AssertClean(Verify(sim, "okx", "BTC-USDT-SWAP", day, day));
        var lines = File.ReadAllLines(path);
        Assert.Equal(expected.Count, lines.Length);
        Assert.Equal(wsLines.Order(StringComparer.Ordinal), lines.Where(l => l.Contains("\"src\":\"ws\"", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count - recorded.Count, lines.Count(l => l.Contains("\"src\":\"rest\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ArchiveMissing_AutoFallsBackToRest_ArchiveOnlyFailsTheDay()
    {
        await using var sim = await StartSimAsync();
        var day = _today.AddDays(-1); // Binance aggTrades REST reaches ~2 days back
        var missing = new Uri(sim.Endpoints.Archive, "/nowhere");
        var archiveOnly = await RunAsync(Options(sim, "binance", "BTCUSDT", day, day) with { ArchiveUrl = missing, Source = BackfillSource.Archive });
        var failed = Assert.Single(archiveOnly.Failed);
        Assert.Contains("404", failed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_vault.RawDayJsonl("binance", "BTCUSDT", day)));

        var auto = await RunAsync(Options(sim, "binance", "BTCUSDT", day, day) with { ArchiveUrl = missing });
        Assert.Equal((BackfillOutcome.Done, "rest"), (auto.Days[0].Outcome, auto.Days[0].Source));
        AssertClean(Verify(sim, "binance", "BTCUSDT", day, day));
        Assert.All(RawTradeFile.ReadAll(_vault.RawDayJsonl("binance", "BTCUSDT", day)), t =>
        {
            Assert.Equal("rest", t.Src);
            Assert.NotNull(t.FirstId);
            Assert.Equal(decimal.Parse(t.Sz, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(t.QtyBase, System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task Run_DayDone_MarkedClosedUnderStateFailedDayNot()
    {
        // Issue 9 item 4: with no exporter watermark, the calculators finalise a backfilled day only on this marker.
        await using var sim = await StartSimAsync();
        var day = _today.AddDays(-1);
        var missing = new Uri(sim.Endpoints.Archive, "/nowhere");
        var marker = ClosedDays.MarkerPath(_vault, "binance", "BTCUSDT", day);
        Assert.StartsWith(_vault.StateDir + Path.DirectorySeparatorChar, marker, StringComparison.Ordinal);
        await RunAsync(Options(sim, "binance", "BTCUSDT", day, day) with { ArchiveUrl = missing, Source = BackfillSource.Archive });
        Assert.False(ClosedDays.IsMarked(_vault, "binance", "BTCUSDT", day));

        var done = await RunAsync(Options(sim, "binance", "BTCUSDT", day, day) with { ArchiveUrl = missing });
        Assert.Equal(BackfillOutcome.Done, done.Days[0].Outcome);
        Assert.True(ClosedDays.IsMarked(_vault, "binance", "BTCUSDT", day));
        Assert.DoesNotContain(Directory.EnumerateFiles(_vault.RawDir, "*", SearchOption.AllDirectories), f => !f.EndsWith(".jsonl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_InstrumentHeldByAnotherWriter_FailsItsDaysNamingThePid_AndWritesNothing()
    {
        var from = _today.AddDays(-3);
        await using var sim = await StartSimAsync();
        using (Pipeline.Vault.Io.WriterLock.Acquire(_vault, "binance", "BTCUSDT", "exporter"))
        {
            var report = await RunAsync(Options(sim, "binance", "BTCUSDT", from, from.AddDays(1)));
            Assert.Equal(2, report.Failed.Count());
            Assert.All(report.Failed, d => Assert.Contains(
                $"is already being written by pid {Environment.ProcessId} (exporter)", d.Message, StringComparison.Ordinal));
            Assert.Empty(_vault.RawDays("binance", "BTCUSDT"));
        }

        // Released: the same run now fills the days.
        var rerun = await RunAsync(Options(sim, "binance", "BTCUSDT", from, from.AddDays(1)));
        Assert.Empty(rerun.Failed);
        AssertClean(Verify(sim, "binance", "BTCUSDT", from, from.AddDays(1)));
    }

    [Fact]
    public async Task Run_CorruptArchive_FailsThatDayNamingItAndChangesNothing()
    {
        var from = _today.AddDays(-5);
        var bad = from.AddDays(1);
        await using var sim = await StartSimAsync(new SimulatorOptions { CorruptArchiveDays = [bad] });
        // The bad day was partly recorded: it must stay byte for byte.
        var path = _vault.RawDayJsonl("binance", "BTCUSDT", bad);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = string.Concat(SimTruth.Day(sim.Markets["BTCUSDT"], bad).Take(50).Select(RawTradeWriter.ToLine));
        await File.WriteAllTextAsync(path, partial);

        var report = await RunAsync(Options(sim, "binance", "BTCUSDT", from, from.AddDays(2)));
        var failed = Assert.Single(report.Failed);
        Assert.Equal(bad, failed.Day);
        Assert.Contains("checksum mismatch", failed.Message, StringComparison.Ordinal);
        Assert.Equal(partial, await File.ReadAllTextAsync(path));
        Assert.Equal(2, report.Days.Count(d => d.Outcome == BackfillOutcome.Done));
        Assert.False(File.Exists(path + ".tmp"));

        // OKX has no checksum: a corrupt zip (CRC/deflate error) fails the days that need that file.
        var okx = await RunAsync(Options(sim, "okx", "BTC-USDT-SWAP", from, from.AddDays(2)));
        Assert.Equal([from, bad], okx.Failed.Select(d => d.Day)); // file "bad" covers the end of day "from" and the start of day "bad"
        Assert.All(okx.Failed, d => Assert.Contains("corrupt", d.Message, StringComparison.OrdinalIgnoreCase));
        Assert.False(File.Exists(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", from)));

        // Resume after the fix: only the failed days are fetched again.
        await using var fixedSim = await StartSimAsync();
        var rerun = await RunAsync(Options(fixedSim, "binance", "BTCUSDT", from, from.AddDays(2)));
        Assert.Equal([BackfillOutcome.Skipped, BackfillOutcome.Done, BackfillOutcome.Skipped], rerun.Days.Select(d => d.Outcome));
        AssertClean(Verify(fixedSim, "binance", "BTCUSDT", from, from.AddDays(2)));
    }

    [Fact]
    public async Task Run_InterruptedAfterTheFirstDay_RerunSkipsItAndFinishesTheRest()
    {
        await using var sim = await StartSimAsync();
        var from = _today.AddDays(-5);
        var to = from.AddDays(2);
        using var cts = new CancellationTokenSource();
        var service = new BackfillService(Options(sim, "binance", "BTCUSDT", from, to), _vault, _time, Quiet)
        {
            Progress = p =>
            {
                if (p.Stage == "fetching" && p.Day > from)
                {
                    cts.Cancel(); // Ctrl+C while the second day is being fetched
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.RunAsync(cts.Token));
        Assert.True(File.Exists(_vault.RawDayJsonl("binance", "BTCUSDT", from)));
        Assert.False(File.Exists(_vault.RawDayJsonl("binance", "BTCUSDT", from.AddDays(1))));

        var rerun = await RunAsync(Options(sim, "binance", "BTCUSDT", from, to));
        Assert.Equal([BackfillOutcome.Skipped, BackfillOutcome.Done, BackfillOutcome.Done], rerun.Days.Select(d => d.Outcome));
        AssertClean(Verify(sim, "binance", "BTCUSDT", from, to));
    }

    [Fact]
    public async Task Run_LegacyBilingualOkxHeader_IsReadByName()
    {
        await using var sim = await StartSimAsync(new SimulatorOptions { OkxLegacyArchive = ["*"] });
        var day = _today.AddDays(-4);
        var report = await RunAsync(Options(sim, "okx", "BTC-USDT-SWAP", day, day) with
        {
            ArchiveUrl = sim.Endpoints.Archive, Source = BackfillSource.Archive,
        });
        Assert.Empty(report.Failed);
        AssertClean(Verify(sim, "okx", "BTC-USDT-SWAP", day, day));
    }

    [Fact]
    public async Task Run_DayOpenByARunningWriter_FailsAndLeavesItAlone()
    {
        await using var sim = await StartSimAsync();
        var day = _today.AddDays(-4);
        var path = _vault.RawDayJsonl("binance", "BTCUSDT", day);
        using var writer = JsonlAppender.Open(path);
        writer.AppendLine(Encoding.UTF8.GetBytes(RawTradeWriter.ToLine(SimTruth.Day(sim.Markets["BTCUSDT"], day)[0]).TrimEnd('\n')));
        writer.Sync();
        var report = await RunAsync(Options(sim, "binance", "BTCUSDT", day, day));
        Assert.Contains("open by another writer", Assert.Single(report.Failed).Message, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void Validate_TodayOrLater_IsRefusedNamingTheLiveFile()
    {
        var options = new BackfillOptions { Exchange = "okx", InstIds = ["BTC-USDT-SWAP"], From = _today.AddDays(-1), To = _today };
        var ex = Assert.Throws<ArgumentException>(() => options.Validate(_today));
        Assert.Contains("today's live file", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }
}
