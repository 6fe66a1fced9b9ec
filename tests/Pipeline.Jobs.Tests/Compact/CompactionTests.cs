using System.Security.Cryptography;
using System.Text;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Compact;
using Pipeline.Jobs.Config;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Status;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Compact;

public sealed class CompactionTests : IDisposable
{
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public CompactionTests()
    {
        _vault = new VaultLayout(_dir.File("vault"));
        TestVault.Over(_vault).AppendSimDays(Day1, 3, fillsPerSecond: 0.2);
        // The exporter has recorded up to 12:00 of day 3: days 1 and 2 are closed, day 3 is not.
        TestVault.Over(_vault).Watermark(TradeTime.DayStartMs(Day1.AddDays(2)) + (12 * 3_600_000), connection: "stopped");
        CalculatorRunner.RunOnce(_vault, new CalcOptions(), TestVault.Exchange, TestVault.InstId, CancellationToken.None);
    }

    [Fact]
    public async Task Compact_ClosedDays_QueriesAndEveryViewIdentical()
    {
        const string countSql = "select count(*), count(distinct tradeId) from trades";
        var countBefore = await CliRunner.RunAsync("query", countSql, "--vault", _vault.Root);
        var before = Snapshot(_vault);

        var (code, output, error) = await CliRunner.RunAsync("compact", "--vault", _vault.Root);

        Assert.True(code == 0, output + error);
        foreach (var day in new[] { Day1, Day1.AddDays(1) })
        {
            Assert.True(File.Exists(_vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, day)), output);
            Assert.False(File.Exists(_vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, day)));
            foreach (var calc in CalculatorRunner.Calcs)
            {
                Assert.True(File.Exists(_vault.DerivedDayParquet(calc, TestVault.Exchange, TestVault.InstId, day)), calc + " " + output);
                Assert.False(File.Exists(_vault.DerivedDay(calc, TestVault.Exchange, TestVault.InstId, day)));
            }
        }

        // Day 3 is not closed (watermark): raw and derived stay JSONL.
        Assert.True(File.Exists(_vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(2))));
        Assert.False(File.Exists(_vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1.AddDays(2))));
        Assert.Contains($"compacted {2 * (1 + CalculatorRunner.Calcs.Count)} day(s)", output, StringComparison.Ordinal);

        var countAfter = await CliRunner.RunAsync("query", countSql, "--vault", _vault.Root);
        Assert.Equal(0, countAfter.Code);
        Assert.Equal(countBefore.Output, countAfter.Output);
        var after = Snapshot(_vault);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var view in before.Keys)
        {
            Assert.True(before[view] == after[view], view + " differs after compaction");
        }

        // A second pass has nothing to do.
        var again = await CliRunner.RunAsync("compact", "--vault", _vault.Root);
        Assert.Equal(0, again.Code);
        Assert.Contains("compacted 0 day(s)", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Recalc_OnCompactedRaw_ByteIdenticalOutputs()
    {
        var original = DerivedFiles(_vault);
        var report = Compactor.Create(_vault, new CompactionOptions()).Run();
        Assert.Equal(0, report.Failed);
        Assert.Equal(2 * (1 + CalculatorRunner.Calcs.Count), report.Compacted);

        // Rebuild every output from the compacted raw days: the calculators read Parquet for days 1-2.
        CalculatorRunner.Recalc(_vault, new CalcOptions(), TestVault.Exchange, TestVault.InstId, Day1, null, CancellationToken.None);

        var rebuilt = DerivedFiles(_vault);
        Assert.Equal(original.Keys, rebuilt.Keys);
        foreach (var (path, bytes) in original)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(rebuilt[path]), path + " differs");
            Assert.False(File.Exists(Path.ChangeExtension(path, ".parquet")), "stale Parquet twin of " + path);
        }
    }

    [Fact]
    public void Compact_CrashLeftovers_TempRemovedAndBothFormsResolved()
    {
        var trades = Directory.EnumerateFiles(_vault.RawDir, "*.jsonl", SearchOption.AllDirectories).Sum(f => File.ReadLines(f).LongCount());
        var bars = Directory.EnumerateFiles(_vault.DerivedInstrumentDir("bars_1m", TestVault.Exchange, TestVault.InstId), "*.jsonl")
            .Sum(f => File.ReadLines(f).LongCount());
        // Crash 1: a half-written temp file of day 1. Crash 2: day 2 renamed into place but its JSONL not yet deleted.
        var day1Temp = _vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1) + ParquetDay.TempSuffix;
        File.WriteAllBytes(day1Temp, [0x50, 0x41, 0x52, 0x31, 0x00]);
        var day2Jsonl = _vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1));
        var day2Parquet = _vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1.AddDays(1));
        var bars2 = _vault.DerivedDay("bars_1m", TestVault.Exchange, TestVault.InstId, Day1.AddDays(1));
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            ParquetDay.Write(connection, ParquetDay.Raw(day2Jsonl), day2Parquet);
            ParquetDay.Write(connection, ParquetDay.Derived(connection, bars2), Path.ChangeExtension(bars2, ".parquet"));
        }

        // Both forms present: the views count the day once (Parquet wins).
        using (var query = VaultQuery.Open(_vault))
        {
            using var reader = query.Query("select (select count(*) from trades), (select count(distinct tradeId) from trades), (select count(*) from bars_1m)");
            reader.Read();
            Assert.Equal(trades, reader.GetInt64(0));
            Assert.Equal(trades, reader.GetInt64(1));
            Assert.Equal(bars, reader.GetInt64(2));
        }

        var report = Compactor.Create(_vault, new CompactionOptions()).Run();

        Assert.Equal(0, report.Failed);
        Assert.Equal(1, report.TempFilesRemoved);
        Assert.False(File.Exists(day1Temp));
        Assert.Equal(2, report.Days.Count(d => d.Outcome == CompactionOutcome.Recovered));
        Assert.False(File.Exists(day2Jsonl));
        Assert.False(File.Exists(bars2));
        Assert.True(File.Exists(_vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1)));
    }

    [Fact]
    public void Compact_BothFormsThatDiffer_KeepsBothAndFails()
    {
        var jsonl = _vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1);
        var parquet = _vault.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day1);
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            ParquetDay.Write(connection, ParquetDay.Raw(jsonl), parquet);
        }

        File.AppendAllText(jsonl, File.ReadLines(jsonl).First().Replace("\"tradeId\":\"", "\"tradeId\":\"9", StringComparison.Ordinal) + "\n");

        var report = Compactor.Create(_vault, new CompactionOptions()).Run();

        var day = Assert.Single(report.Days, d => d.Outcome == CompactionOutcome.Failed);
        Assert.Contains("differ", day.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(jsonl));
        Assert.True(File.Exists(parquet));
    }

    [Fact]
    public void Compact_Today_NeverCompacted()
    {
        // Watermark far past day 3 and the clock inside day 3: day 3 is today.
        TestVault.Over(_vault).Watermark(TradeTime.DayStartMs(Day1.AddDays(10)), connection: "stopped");
        var today = TestClock.At(Day1.AddDays(2), new TimeOnly(23, 0));

        var report = Compactor.Create(_vault, new CompactionOptions { Time = today, IncludeDerived = false }).Run();

        var day3 = Assert.Single(report.Days, d => d.Day.Day == Day1.AddDays(2));
        Assert.Equal(CompactionOutcome.Skipped, day3.Outcome);
        Assert.Contains("today", day3.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(_vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(2))));
        Assert.Equal(2, report.Compacted);
    }

    [Fact]
    public void Compact_Before_LimitsDays()
    {
        var report = Compactor.Create(_vault, new CompactionOptions { Before = Day1.AddDays(1), IncludeDerived = false }).Run();

        Assert.Equal(1, report.Compacted);
        Assert.Contains(report.Days, d => d.Day.Day == Day1.AddDays(1) && d.Reason!.Contains("--before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompactionPass_HostJob_CompactsAndFailsLoudly()
    {
        var config = PipelineConfigLoader.Load(null, new Dictionary<string, string>(), [], _dir.Path);
        var rows = Directory.EnumerateFiles(_vault.RawDir, "*.jsonl", SearchOption.AllDirectories).Take(2)
            .Sum(f => File.ReadLines(f).LongCount());
        var pass = new VaultCompactionPass(_vault, config, TimeProvider.System);

        var result = await pass.RunAsync(CancellationToken.None);

        Assert.Equal(2 * (1 + CalculatorRunner.Calcs.Count), result.DaysCompacted);
        Assert.True(result.Rows > rows);
        Assert.Equal(0, (await pass.RunAsync(CancellationToken.None)).DaysCompacted);

        // A JSONL day that reappears next to its Parquet with other rows fails the job (the host logs and counts it).
        var jsonl = _vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1);
        File.WriteAllText(jsonl, File.ReadLines(_vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day1.AddDays(2))).First() + "\n");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pass.RunAsync(CancellationToken.None));
        Assert.Contains("could not be compacted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_CompactedDays_CountsParquetRows()
    {
        var before = new VaultStatusReader(_vault).ReadInstrument(TestVault.Exchange, TestVault.InstId);

        Compactor.Create(_vault, new CompactionOptions { IncludeDerived = false }).Run();

        var after = new VaultStatusReader(_vault).ReadInstrument(TestVault.Exchange, TestVault.InstId);
        Assert.Equal(0, before.ParquetDays);
        Assert.Equal(2, after.ParquetDays);
        Assert.Equal(3, after.Days);
        Assert.Equal(before.Lines, after.Lines);
        Assert.Equal(before.FirstTradeTs, after.FirstTradeTs);
        Assert.Equal(before.LastTradeTs, after.LastTradeTs);
    }

    /// <summary>Every view's rows (sorted) as text, hashed.</summary>
    internal static Dictionary<string, string> Snapshot(VaultLayout vault)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var query = VaultQuery.Open(vault);
        foreach (var view in new[] { "trades" }.Concat(VaultViews.MinuteCalcs))
        {
            var text = new StringBuilder();
            using var reader = query.Query($"select * from {view} order by all");
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.GetName(i)).Append('=').Append(reader.IsNull(i) ? "∅" : reader.GetString(i)).Append('|');
                }

                text.Append('\n');
            }

            result[view] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))) + " rows:" + text.ToString().Count(c => c == '\n');
        }

        return result;
    }

    private static Dictionary<string, byte[]> DerivedFiles(VaultLayout vault) =>
        Directory.EnumerateFiles(vault.DerivedDir, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, File.ReadAllBytes, StringComparer.Ordinal);

    public void Dispose() => _dir.Dispose();
}
