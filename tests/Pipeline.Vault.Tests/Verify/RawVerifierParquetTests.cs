using System.Globalization;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Vault.Tests.Verify;

/// <summary>Verification reads a compacted (Parquet) raw day exactly as it reads the JSONL it came from.</summary>
public sealed class RawVerifierParquetTests : IDisposable
{
    private const string Exchange = "binance";
    private const string Inst = "BTCUSDT";
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private static readonly DateOnly Day2 = Day1.AddDays(1);
    private static readonly long Start1 = TradeTime.DayStartMs(Day1);
    private static readonly long Start2 = TradeTime.DayStartMs(Day2);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public RawVerifierParquetTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    private static RawTrade Trade(long id, long ts, int? count = null) => new()
    {
        Exchange = Exchange, InstId = Inst, TradeId = id.ToString(CultureInfo.InvariantCulture), Ts = ts,
        Px = "100.5", Sz = "0.001", Side = id % 2 == 0 ? "buy" : "sell", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC",
        QtyBase = "0.001", RecvTs = ts + 5, Src = "ws", Count = count,
    };

    private static void Write(string path, IEnumerable<RawTrade> trades)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var appender = JsonlAppender.Open(path);
        foreach (var trade in trades)
        {
            RawTradeWriter.Write(appender, trade);
            appender.EndLine();
        }

        appender.Sync();
    }

    private CompactionReport Compact() => new VaultCompactor(_vault, new CompactionOptions { IncludeDerived = false }).Run();

    /// <summary>Every finding but the problem texts (those name the file, and a JSONL byte offset differs from a Parquet row).</summary>
    private static string Findings(VerifyReport report) => string.Join("\n", report.Instruments.Select(i =>
        $"{i.Exchange} {i.InstId} days={i.Days} lines={i.Lines} dup={i.Duplicates} torn={i.Torn} unparsable={i.Unparsable} " +
        $"wrongDate={i.WrongDate} gaps={i.GapCount}/{i.GapIds} [{string.Join(",", i.Gaps.Select(g => $"{g.From}-{g.To}"))}] " +
        $"missing={i.Missing} extra={i.Extra} first={i.FirstId} last={i.LastId}"));

    /// <summary>
    /// Day 1: ids 1..500 without 100..102, id 200 twice, and id 400 as an aggregate of 398..400 (count 3,
    /// lines 398 and 399 absent). Day 2: ids 501..1000, one of them misfiled (stamped on day 1).
    /// Truth: ids 1..1000 without 300 (so the vault's 300 is extra), truth range covering both days.
    /// </summary>
    private string WriteDaysAndTruth()
    {
        Write(_vault.RawDayJsonl(Exchange, Inst, Day1), Enumerable.Range(1, 500)
            .Where(i => i is not (>= 100 and <= 102) and not 398 and not 399)
            .SelectMany(i => i == 200 ? new[] { Trade(i, Start1 + i), Trade(i, Start1 + i) } : [Trade(i, Start1 + i, i == 400 ? 3 : null)]));
        Write(_vault.RawDayJsonl(Exchange, Inst, Day2), Enumerable.Range(501, 500).Select(i => Trade(i, i == 777 ? Start2 - 1 : Start2 + i)));
        var truth = _dir.File("truth");
        Write(TruthLayout.TradesPath(truth, Exchange, Inst),
            Enumerable.Range(1, 1000).Where(i => i != 300).Select(i => Trade(i, i <= 500 ? Start1 + i : Start2 + i)));
        File.WriteAllText(TruthLayout.RangePath(truth), $$"""{"startTs":{{Start1}},"endTs":{{Start2 + 1000}}}""");
        return truth;
    }

    [Fact]
    public void Verify_AfterCompaction_SameFindingsAsBefore()
    {
        var truth = WriteDaysAndTruth();
        var options = new VerifyOptions { TruthDir = truth };
        var before = new RawVerifier(_vault).Verify(options);

        var compaction = Compact();
        Assert.Equal(2, compaction.Compacted);
        Assert.False(File.Exists(_vault.RawDayJsonl(Exchange, Inst, Day1)));
        Assert.False(File.Exists(_vault.RawDayJsonl(Exchange, Inst, Day2)));
        Assert.True(File.Exists(_vault.RawDayParquet(Exchange, Inst, Day2)));
        var after = new RawVerifier(_vault).Verify(options);

        Assert.Equal(Findings(before), Findings(after));
        // ...and those findings are the right ones, so neither form merely agrees with the other's mistake.
        Assert.Equal(996, after.Lines); // 500 - 3 gap - 2 inside the aggregate + 1 duplicate, + 500
        Assert.Equal(1, after.Duplicates);
        Assert.Equal([new VerifyGap(Exchange, Inst, 100, 102)], after.Gaps);
        Assert.Equal(3, after.GapIds);
        Assert.Equal(1, after.WrongDate);
        Assert.Equal(3, after.Missing);
        Assert.Equal(1, after.Extra);
        Assert.Equal(0, after.Torn + after.Unparsable);
        Assert.DoesNotContain(after.Instruments[0].Problems, p => p.Contains(".jsonl", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_CleanDayCompacted_IsStillClean()
    {
        Write(_vault.RawDayJsonl(Exchange, Inst, Day1), Enumerable.Range(1, 300).Select(i => Trade(i, Start1 + i)));
        Assert.Equal(1, Compact().Compacted);
        var report = new RawVerifier(_vault).Verify(new VerifyOptions());
        Assert.True(report.IsClean, Findings(report));
        Assert.Equal(300, report.Lines);
        Assert.Equal(1, report.Instruments[0].Days);
    }

    [Fact]
    public void Verify_DuplicateAcrossParquetAndJsonlDays_IsFound()
    {
        Write(_vault.RawDayJsonl(Exchange, Inst, Day1), Enumerable.Range(1, 100).Select(i => Trade(i, Start1 + i)));
        Assert.Equal(1, Compact().Compacted);
        // A later JSONL day repeats id 100 (a reconnect overlap filed after midnight) and skips 101.
        Write(_vault.RawDayJsonl(Exchange, Inst, Day2), new[] { 100, 102, 103 }.Select(i => Trade(i, Start2 + i)));
        var report = new RawVerifier(_vault).Verify(new VerifyOptions());
        Assert.Equal(103, report.Lines);
        Assert.Equal(1, report.Duplicates);
        Assert.Equal([new VerifyGap(Exchange, Inst, 101, 101)], report.Gaps);
    }

    [Fact]
    public void Verify_DayInBothForms_IsReadOnceFromTheParquet()
    {
        var jsonl = _vault.RawDayJsonl(Exchange, Inst, Day1);
        Write(jsonl, Enumerable.Range(1, 200).Select(i => Trade(i, Start1 + i)));
        var copy = _dir.File("copy.jsonl");
        File.Copy(jsonl, copy);
        Assert.Equal(1, Compact().Compacted);
        // A crash between the rename and the delete leaves both forms; this JSONL even grew afterwards.
        File.Copy(copy, jsonl);
        Write(jsonl, [Trade(201, Start1 + 201)]);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.True(report.IsClean, Findings(report));
        Assert.Equal(200, report.Lines);
        Assert.Equal(200, report.Instruments[0].LastId);
        Assert.Equal(1, report.Instruments[0].Days);
        Assert.Contains(report.Instruments[0].Problems, p => p.Contains("also compacted", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_UnreadableParquetAndNonNumericId_AreUnparsableNotACrash()
    {
        Write(_vault.RawDayJsonl(Exchange, Inst, Day1), new[] { Trade(1, Start1 + 1), Trade(2, Start1 + 2) with { TradeId = "x2" }, Trade(3, Start1 + 3) });
        Assert.Equal(1, Compact().Compacted);
        var garbage = _vault.RawDayParquet(Exchange, Inst, Day2);
        File.WriteAllText(garbage, "PAR1 this is not a parquet file");

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.Equal(2, report.Lines);
        Assert.Equal(1, report.Unparsable);
        Assert.Equal(1, report.UnreadableFiles);
        Assert.False(report.IsClean);
        var problems = report.Instruments[0].Problems;
        Assert.Contains(problems, p => p.StartsWith("2026-03-01.parquet@1: tradeId is not a decimal integer", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(garbage + "@0: unreadable Parquet", StringComparison.Ordinal));
    }

    [Fact]
    public void ParquetReader_LargeDay_StreamsWithoutAllocatingPerRow()
    {
        const int n = 100_000;
        Write(_vault.RawDayJsonl(Exchange, Inst, Day1), Enumerable.Range(1, n).Select(i => Trade(i, Start1 + (i / 10))));
        Assert.Equal(1, Compact().Compacted);
        var reader = new ParquetRawDayReader();
        long rows = 0, idSum = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        reader.Read(_vault.RawDayParquet(Exchange, Inst, Day1), row =>
        {
            rows++;
            idSum += row.TradeId;
        }, problem => Assert.Fail(problem.Reason));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal(n, rows);
        Assert.Equal((long)n * (n + 1) / 2, idSum);
        // A string or object per row would be several MB for 100k rows; what remains is the per-file set-up.
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated reading {n} rows");
    }
}
