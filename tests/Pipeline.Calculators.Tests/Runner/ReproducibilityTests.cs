using System.Text;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Tests.Runner;

public sealed class ReproducibilityTests
{
    private static readonly DateOnly Day1 = TestVault.Day1;

    /// <summary>Raw bytes of a day as the exporter would write them.</summary>
    private static byte[] Bytes(IEnumerable<RawTrade> trades)
    {
        var sb = new StringBuilder();
        foreach (var t in trades)
        {
            sb.Append(RawTradeWriter.ToLine(t));
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Calc_RandomChunksWithPartialLines_ByteIdenticalToOneRecalc(int seed)
    {
        var day2 = Day1.AddDays(1);
        var trades = SyntheticTrades.Day(Day1, 12_000, seed);
        trades.AddRange(SyntheticTrades.Day(day2, 5_000, seed + 10, firstId: 5_000_000));
        var bytes1 = Bytes(trades.Where(t => t.Day == Day1));
        var bytes2 = Bytes(trades.Where(t => t.Day == day2));
        var lastTs = trades.Where(t => t.Day == day2).Max(t => t.Ts);

        using var chunked = TestVault.Create();
        var random = new Random(seed);
        var options = new CalcOptions();
        foreach (var (day, bytes) in new[] { (Day1, bytes1), (day2, bytes2) })
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var n = Math.Min(bytes.Length - written, random.Next(1, 200_000));
                chunked.AppendRaw(day, bytes[written..(written + n)]); // may end mid-line
                written += n;
                // The exporter's watermark: complete up to the last whole line written.
                var end = bytes.AsSpan(0, written).LastIndexOf((byte)'\n');
                if (end > 0)
                {
                    var start = bytes.AsSpan(0, end).LastIndexOf((byte)'\n') + 1;
                    var line = Encoding.UTF8.GetString(bytes, start, end - start);
                    var at = line.IndexOf("\"ts\":", StringComparison.Ordinal) + 5;
                    chunked.Watermark(long.Parse(line[at..line.IndexOf(',', at)], System.Globalization.CultureInfo.InvariantCulture));
                }

                if (random.Next(3) > 0)
                {
                    chunked.Calc(options);
                }
            }
        }

        chunked.Watermark(lastTs + 120_000);
        chunked.Calc(options);

        using var once = TestVault.Create();
        once.AppendRaw(Day1, bytes1);
        once.AppendRaw(day2, bytes2);
        once.Watermark(lastTs + 120_000);
        once.Recalc(Day1);

        var expected = once.Snapshot();
        Assert.Equal(12, expected.Count); // 6 calculators × 2 days
        Assert.Equal(expected, chunked.Snapshot());
        Assert.Equal(0, CalculatorRunner.Status(chunked.Layout, TestVault.Exchange, TestVault.InstId).LateTrades);
    }

    [Fact]
    public void Recalc_FromSecondDay_RestartsFromCheckpointAndMatches()
    {
        using var v = TestVault.Create();
        var day2 = Day1.AddDays(1);
        v.Append(SyntheticTrades.Day(Day1, 3_000));
        v.Append(SyntheticTrades.Day(day2, 3_000, 9, 9_000_000));
        v.Watermark(TestVault.T(day2.AddDays(1), 0, 10));
        v.Calc();
        var before = v.Snapshot();
        var day1Bars = File.GetLastWriteTimeUtc(v.Layout.DerivedDay(BarLine.Calc, TestVault.Exchange, TestVault.InstId, Day1));
        v.Recalc(day2);
        Assert.Equal(before, v.Snapshot());
        Assert.Equal(day1Bars, File.GetLastWriteTimeUtc(v.Layout.DerivedDay(BarLine.Calc, TestVault.Exchange, TestVault.InstId, Day1)));
        // A later calc adds nothing and changes nothing.
        var r = v.Calc();
        Assert.Equal(0, r.BarsEmitted);
        Assert.Equal(before, v.Snapshot());
    }

    [Fact]
    public void Recalc_WithTo_RebuildsOnlyThoseDaysAndKeepsTheLiveCursor()
    {
        using var v = TestVault.Create();
        var day2 = Day1.AddDays(1);
        var day3 = Day1.AddDays(2);
        v.Append(SyntheticTrades.Day(Day1, 2_000));
        v.Append(SyntheticTrades.Day(day2, 2_000, 3, 3_000_000));
        v.Append(SyntheticTrades.Day(day3, 2_000, 4, 4_000_000));
        v.Watermark(TestVault.T(day3, 12, 0));
        v.Calc();
        var before = v.Snapshot();
        File.Delete(v.Layout.DerivedDay("vwap", TestVault.Exchange, TestVault.InstId, day2));
        v.Recalc(day2, day2);
        Assert.Equal(before, v.Snapshot());
        v.Watermark(TestVault.T(day3.AddDays(1), 0, 5));
        var r = v.Calc();
        Assert.True(r.BarsEmitted > 0);
    }

    [Fact]
    public void Calc_CrashAfterOutputBeforeState_TruncatesAndRepeatsNothing()
    {
        using var v = TestVault.Create();
        v.Append(SyntheticTrades.Day(Day1, 2_000));
        v.Watermark(TestVault.T(Day1, 6, 0));
        v.Calc();
        var statePath = v.Layout.CalcState(BarLine.Calc, TestVault.Exchange, TestVault.InstId);
        var committed = File.ReadAllBytes(statePath);
        v.Watermark(TestVault.T(Day1, 12, 0));
        v.Calc();
        var expected = v.Snapshot();
        // Simulate a crash after the outputs were appended but before the state was written.
        File.WriteAllBytes(statePath, committed);
        foreach (var calc in CalculatorRunner.Calcs.Skip(1))
        {
            File.Delete(v.Layout.CalcState(calc, TestVault.Exchange, TestVault.InstId));
        }

        v.Calc();
        Assert.Equal(expected, v.Snapshot());
    }

    [Fact]
    public void RunOnce_WhileAnotherRunHoldsTheInstrument_ClearError()
    {
        using var v = TestVault.Create();
        v.Append(SyntheticTrades.Day(Day1, 100));
        using (CalcLock.Acquire(v.Layout, TestVault.Exchange, TestVault.InstId))
        {
            var ex = Assert.Throws<CalcLockHeldException>(() => v.Calc());
            Assert.Contains("another calculator run", ex.Message, StringComparison.Ordinal);
        }

        v.Calc();
    }
}
