using Pipeline.Calculators.Micro;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Micro;

namespace Pipeline.Calculators.Tests.Micro;

/// <summary>
/// The microstructure stage over days compacted to Parquet (quotes and book by the vault's micro compaction, trades by
/// the raw one): the same events in the same order as the JSONL days, so the outputs are byte for byte those of the
/// JSONL days, in recalc and in a live pass that meets a compacted day.
/// </summary>
public sealed class MicroStageParquetTests
{
    private static readonly DateOnly Day = TestVault.Day1;
    private static readonly DateOnly Day2 = TestVault.Day1.AddDays(1);
    private static readonly CalcOptions Options = new() { VpinBucketVolume = 10m, VpinBuckets = 5, OfiWindowMinutes = 5 };

    [Fact]
    public void Recalc_QuotesBookAndTradesCompactedToParquet_ByteIdenticalToTheJsonlDays()
    {
        using var v = TwoDays();
        v.Calc(Options);
        var expected = v.Snapshot();
        Assert.Contains(expected.Keys, k => k.Contains("vpin", StringComparison.Ordinal));

        Compact(v);
        foreach (var day in new[] { Day, Day2 })
        {
            foreach (var kind in new[] { MicroKind.Quotes, MicroKind.Book })
            {
                Assert.False(File.Exists(v.Layout.MicroDayJsonl(kind, TestVault.Exchange, TestVault.InstId, day)), $"{kind} {day} still JSONL");
                Assert.True(File.Exists(MicroDayFiles.ParquetPath(v.Layout, kind, TestVault.Exchange, TestVault.InstId, day)));
            }

            Assert.True(File.Exists(v.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, day)));
        }

        v.Calc(Options); // the live cursor sits after the last minute of a day now compacted: nothing to read, nothing fails
        Assert.Equal(expected, v.Snapshot());

        v.Recalc(Day, options: Options);
        Assert.Equal(expected, v.Snapshot());
        v.Recalc(Day2, options: Options);
        Assert.Equal(expected, v.Snapshot());
        var state = new MicroStage(v.Layout, Options, TestVault.Exchange, TestVault.InstId).ReadState()!;
        Assert.Equal(["book", "quotes", "trades"], state.ParquetInputs.Order(StringComparer.Ordinal));
        Assert.Equal(0, state.BadLines);
    }

    [Fact]
    public void Calc_DaysCompactedBeforeTheStageReachedThem_ReadWholeAndByteIdenticalToJsonl()
    {
        using var jsonl = TwoDays();
        jsonl.Calc(Options);

        using var v = TwoDays();
        Compact(v);
        v.Calc(Options);

        Assert.Equal(jsonl.Snapshot(), v.Snapshot());
    }

    [Fact]
    public void Calc_QuotesCompactedWhileTheStageIsPartWayThroughTheDay_FailsNamingTheFileAndRecalcRebuilds()
    {
        using var once = TestVault.Create();
        MicroDay.Write(once, Day, minutes: 120);
        once.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        once.Calc(Options);

        using var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 120);
        v.Watermark(TestVault.T(Day, 1, 0));
        v.Calc(Options);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        var quotes = v.Layout.MicroDayJsonl(MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day);
        var parquet = MicroDayFiles.ParquetPath(v.Layout, MicroKind.Quotes, TestVault.Exchange, TestVault.InstId, Day);
        using (var db = DuckDbConnection.OpenInMemory())
        {
            ParquetDay.Write(db, MicroParquetDay.Source(MicroKind.Quotes, quotes), parquet); // as an unguarded compaction would
        }

        File.Delete(quotes);

        var error = Assert.Throws<InvalidDataException>(() => v.Calc(Options));
        Assert.Contains(Path.GetFileName(parquet), error.Message, StringComparison.Ordinal);
        Assert.Contains($"recalc --from {Day:yyyy-MM-dd}", error.Message, StringComparison.Ordinal);

        v.Recalc(Day, options: Options);
        Assert.Equal(once.Snapshot(), v.Snapshot());
    }

    private static TestVault TwoDays()
    {
        var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 200);
        MicroDay.Write(v, Day2, minutes: 60, seed: 9);
        v.Watermark(MinuteTime.DayEnd(Day2) + 5_000);
        return v;
    }

    /// <summary>Raw trades, quotes and book of both days to Parquet through the vault's compactor (derived days stay JSONL).</summary>
    private static void Compact(TestVault v)
    {
        var report = new VaultCompactor(v.Layout, new CompactionOptions { IncludeDerived = false, Time = TestClock.At(Day2.AddDays(2), TimeOnly.MinValue) }).Run();
        Assert.Equal(6, report.Days.Count(d => d.Outcome == CompactionOutcome.Compacted));
    }
}
