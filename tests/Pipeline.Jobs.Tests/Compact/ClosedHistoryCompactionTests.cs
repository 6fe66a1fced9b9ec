using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Compact;
using Pipeline.Jobs.Execution;
using Pipeline.Simulator;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Compact;

/// <summary>
/// A closed history (backfilled days: closed-day markers, no exporter) compacts completely, its last day included;
/// before, the last day stayed JSONL until a later day existed, because the calculators' cursors sat in it. A day an
/// exporter may still append to, or that a reader has not finished, is never compacted; and `compact` says why.
/// </summary>
public sealed class ClosedHistoryCompactionTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Compact_BackfilledHistory_LastDayCompactedAndLaterDaysComputeAsWithout()
    {
        var vault = Backfilled("vault", days: 2);
        var reference = Backfilled("reference", days: 2);
        var before = CompactionTests.Snapshot(vault.Layout);

        var report = Compactor.Create(vault.Layout, new CompactionOptions()).Run();

        Assert.Equal(0, report.Days.Count(d => d.Outcome != CompactionOutcome.Compacted));
        Assert.Equal(2 * (1 + CalculatorRunner.Calcs.Count), report.Compacted);
        Assert.True(File.Exists(vault.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1))));
        Assert.Equal(before, CompactionTests.Snapshot(vault.Layout));

        // The calculators step over the compacted days they had finished, then go on exactly as over JSONL.
        vault.Calc();
        foreach (var v in new[] { vault, reference })
        {
            v.AppendSimDays(Day1.AddDays(2), 1, fillsPerSecond: 0.2);
            ClosedDays.Mark(v.Layout, TestVault.Exchange, TestVault.InstId, Day1.AddDays(2), "backfill", DateTimeOffset.UnixEpoch);
            v.Calc();
        }

        foreach (var calc in CalculatorRunner.Calcs)
        {
            Assert.Equal(1440, vault.Lines(calc, Day1.AddDays(2)).Length);
            Assert.Equal(reference.DerivedText(calc, Day1.AddDays(2)), vault.DerivedText(calc, Day1.AddDays(2)));
        }
    }

    [Fact]
    public async Task Compact_AfterBackfill_EveryDayCompactedAndCalcStillRuns()
    {
        var from = new DateOnly(2025, 6, 6);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 0.1, Seed = 5, Start = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero),
            PublishInterval = TimeSpan.FromSeconds(1),
        });
        var vault = _dir.File("vault");
        var backfill = await CliRunner.RunAsync("backfill", "--exchange", "binance", "--inst", "BTCUSDT", "--from", "2025-06-06",
            "--to", "2025-06-07", "--rest-url", sim.Endpoints.BinanceRest.ToString(), "--archive-url", sim.Endpoints.Archive.ToString(),
            "--vault", vault, "--log-level", "warning");
        Assert.True(backfill.Code == 0, backfill.Output + backfill.Error);

        var (code, output, error) = await CliRunner.RunAsync("compact", "--vault", vault);

        Assert.True(code == 0, output + error);
        Assert.Contains($"compacted {2 * (1 + CalculatorRunner.Calcs.Count)} day(s)", output, StringComparison.Ordinal);
        Assert.Contains("; 0 left as JSONL;", output, StringComparison.Ordinal);
        var layout = new VaultLayout(vault);
        Assert.True(File.Exists(layout.RawDayParquet("binance", "BTCUSDT", from.AddDays(1))));
        var calc = await CliRunner.RunAsync("calc", "--vault", vault);
        Assert.True(calc.Code == 0, calc.Output + calc.Error);
    }

    [Fact]
    public void Compact_LastDayNotFinishedByCalculators_HeldAsJsonl()
    {
        // Day 2 has no marker and no exporter state: nothing proves it complete, so bars_1m has not finished it.
        var vault = Backfilled("vault", days: 2, markLast: false);

        var report = Compactor.Create(vault.Layout, new CompactionOptions { IncludeDerived = false }).Run();

        var last = Assert.Single(report.Days, d => d.Day.Day == Day1.AddDays(1));
        Assert.Equal(CompactionOutcome.Skipped, last.Outcome);
        Assert.Equal(SkipReason.ReaderBusy, last.Skip);
        Assert.True(File.Exists(vault.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1))));
        Assert.Equal(1, report.Compacted);
    }

    [Fact]
    public void Compact_DayAnExporterMayStillAppendTo_NeverCompactedEvenWhenMarkedAndFinished()
    {
        var vault = Backfilled("vault", days: 2);
        // An exporter recorded up to noon of day 2: a restart gap-fills from there, into day 2.
        vault.Watermark(TradeTime.DayStartMs(Day1.AddDays(1)) + (12 * 3_600_000), connection: "stopped");

        var report = Compactor.Create(vault.Layout, new CompactionOptions()).Run();

        Assert.All(report.Days.Where(d => d.Day.Day == Day1.AddDays(1)), d =>
        {
            Assert.Equal(CompactionOutcome.Skipped, d.Outcome);
            Assert.Equal(SkipReason.NotRecorded, d.Skip);
        });
        Assert.True(File.Exists(vault.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1))));
    }

    [Fact]
    public void Compact_PaperExecutorInLastDay_HeldUntilItHasReadAndDecidedTheDay()
    {
        var vault = Backfilled("vault", days: 2);
        var dayEnd = TradeTime.DayStartMs(Day1.AddDays(2));
        Executor(vault, processedUntil: dayEnd - 60_000, lastMinute: dayEnd - 120_000);

        var held = Compactor.Create(vault.Layout, new CompactionOptions()).Run();

        Assert.All(held.Days.Where(d => d.Day.Day == Day1.AddDays(1)), d =>
        {
            Assert.Equal(SkipReason.ReaderBusy, d.Skip);
            Assert.Contains("executor paper", d.Reason, StringComparison.Ordinal);
        });

        // It has read every trade of day 2 and decided its last minute: it never opens day 2 again.
        Executor(vault, processedUntil: dayEnd, lastMinute: dayEnd - 60_000);
        var report = Compactor.Create(vault.Layout, new CompactionOptions()).Run();

        Assert.All(report.Days, d => Assert.Equal(CompactionOutcome.Compacted, d.Outcome));
        Assert.True(File.Exists(vault.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1))));
    }

    [Fact]
    public void Compact_TodayBeingWritten_NeverCompacted()
    {
        var vault = Backfilled("vault", days: 2);
        var now = TestClock.At(Day1.AddDays(1), new TimeOnly(23, 59));

        var report = Compactor.Create(vault.Layout, new CompactionOptions { Time = now }).Run();

        Assert.All(report.Days.Where(d => d.Day.Day == Day1.AddDays(1)), d => Assert.Equal(SkipReason.Today, d.Skip));
        Assert.True(File.Exists(vault.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1))));
    }

    [Fact]
    public async Task CompactCommand_DaysLeft_SaysWhyWithCountsByDefault()
    {
        var vault = Backfilled("vault", days: 2);
        vault.Watermark(TradeTime.DayStartMs(Day1.AddDays(1)) + (12 * 3_600_000), connection: "stopped");

        var (code, output, error) = await CliRunner.RunAsync("compact", "--vault", vault.Layout.Root);

        Assert.True(code == 0, output + error);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{1 + CalculatorRunner.Calcs.Count} left as JSONL: the exporter has not recorded past the day's end and may still append to it ({1 + CalculatorRunner.Calcs.Count}) (--show-skipped lists each day)"),
            output, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipSummary_SeveralKinds_MostFirstWithCounts()
    {
        var candidate = new CompactionCandidate(null, "okx", "BTC-USDT-SWAP", Day1, "a.jsonl", "a.parquet");
        DayCompaction Day(CompactionOutcome outcome, SkipReason? skip) =>
            new(candidate, outcome, 0, 0, 0, null, TimeSpan.Zero) { Skip = skip };
        var report = new CompactionReport(
            [Day(CompactionOutcome.Skipped, SkipReason.NotRecorded), Day(CompactionOutcome.Skipped, SkipReason.Today),
             Day(CompactionOutcome.Skipped, SkipReason.Today), Day(CompactionOutcome.Compacted, null)], 0, TimeSpan.Zero);

        Assert.Equal(": today (UTC) is still being written (2), the exporter has not recorded past the day's end and may still append to it (1) (--show-skipped lists each day)",
            CompactCommand.SkipSummary(report, listed: false, demoVault: false));
        Assert.Contains("the demo recorded only part of its day", CompactCommand.SkipSummary(report, listed: true, demoVault: true), StringComparison.Ordinal);
        Assert.Equal("", CompactCommand.SkipSummary(new CompactionReport([Day(CompactionOutcome.Compacted, null)], 0, TimeSpan.Zero), false, false));
    }

    [Fact]
    public void RawTradeRangeReader_CompactedDayAlreadyRead_NotReopened()
    {
        var vault = Backfilled("vault", days: 2);
        var dayEnd = TradeTime.DayStartMs(Day1.AddDays(1));
        vault.CompactDay(TestVault.Exchange, TestVault.InstId, Day1);
        var reader = new RawTradeRangeReader(vault.Layout, TestVault.Exchange, TestVault.InstId);

        // The executor's cursor still names day 1, but it has processed every trade before day 2.
        var trades = reader.Read(new TradeCursor(Day1, 123, dayEnd), dayEnd - 60_000, dayEnd + 60_000).ToList();

        Assert.NotEmpty(trades);
        Assert.All(trades, t => Assert.True(t.Ts >= dayEnd));
        Assert.Throws<InvalidOperationException>(() => reader.Read(new TradeCursor(Day1, 123, dayEnd - 60_000), dayEnd - 60_000, dayEnd).ToList());
    }

    /// <summary>A paper executor's state on the instrument: its trade cursor in day 2 and its last decided minute.</summary>
    private static void Executor(TestVault vault, long processedUntil, long lastMinute) =>
        new StateFile<ExecutorState>(vault.Layout.ExecutorState("paper")).Write(new ExecutorState
        {
            Strategy = "paper", Exchange = TestVault.Exchange, InstId = TestVault.InstId,
            Engine = new EngineState { LastMinuteMs = lastMinute },
            Trades = new TradeCursor(Day1.AddDays(1), 0, processedUntil),
            Ledger = new LedgerLengths(0, 0, 0, null, 0),
        });

    /// <summary>Days of simulated trades as backfill leaves them: closed-day markers, no exporter state, derived outputs computed.</summary>
    private TestVault Backfilled(string name, int days, bool markLast = true)
    {
        var vault = TestVault.Over(new VaultLayout(_dir.File(name))).AppendSimDays(Day1, days, fillsPerSecond: 0.2);
        for (var day = Day1; day < Day1.AddDays(markLast ? days : days - 1); day = day.AddDays(1))
        {
            ClosedDays.Mark(vault.Layout, TestVault.Exchange, TestVault.InstId, day, "backfill", DateTimeOffset.UnixEpoch);
        }

        vault.Calc();
        return vault;
    }
}
