using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Tests.Bars;

/// <summary>Issue 9 item 4: no derived minute is made up ahead of the data (exporter watermark, closing proof, now).</summary>
public sealed class FinalityTests
{
    private static readonly DateOnly Day = TestVault.Day1;

    private static long Minute(string line) =>
        MinuteTime.Parse(JsonDocument.Parse(line).RootElement.GetProperty("minute").GetString());

    [Fact]
    public void Calc_OpenDayThreeTradesNoExporterState_NoMinuteIsFinal()
    {
        // Reproduction: 3 trades ten minutes ago, no exporter state; the old code committed 234 bars up to 23:59.
        using var v = TestVault.Create();
        v.Append([
            TestVault.Trade(TestVault.T(Day, 20, 15, 1), "100", "1"), TestVault.Trade(TestVault.T(Day, 20, 15, 30), "101", "1"),
            TestVault.Trade(TestVault.T(Day, 20, 16, 5), "102", "1"),
        ]);
        var options = new CalcOptions { Time = TestClock.At(TestVault.T(Day, 20, 26)) };
        var r = v.Calc(options);
        Assert.Equal(0, r.BarsEmitted);
        Assert.Empty(v.Lines(BarLine.Calc, Day));

        // The trades that arrive later are not "late": nothing was made up before them.
        v.Append([TestVault.Trade(TestVault.T(Day, 20, 17, 0), "103", "1")]);
        v.Watermark(TestVault.T(Day, 20, 18, 2));
        r = v.Calc(options);
        Assert.Equal(0, r.LateTrades);
        Assert.Equal(3, v.Lines(BarLine.Calc, Day).Length); // 20:15, 20:16, 20:17
    }

    [Fact]
    public void Calc_LaterDayFileWithoutClosingProof_EarlierDayStaysOpen()
    {
        // A day file of a later day (a bad clock can create one) is no proof that the earlier day is complete.
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 10, 0, 1), "100", "1"), TestVault.Trade(TestVault.T(Day.AddDays(1), 0, 0, 1), "101", "1")]);
        v.Calc();
        Assert.Empty(v.Lines(BarLine.Calc, Day));
    }

    [Fact]
    public void Calc_BackfilledDayWithClosedMarker_WholeDayComputed()
    {
        using var v = TestVault.Create();
        v.Append([
            TestVault.Trade(TestVault.T(Day, 0, 0, 1), "100", "1"), TestVault.Trade(TestVault.T(Day, 12, 0, 1), "101", "1"),
            TestVault.Trade(TestVault.T(Day.AddDays(1), 0, 0, 1), "102", "1"),
        ]);
        ClosedDays.Mark(v.Layout, TestVault.Exchange, TestVault.InstId, Day, "backfill", DateTimeOffset.UnixEpoch);
        Assert.StartsWith(Path.Combine(v.Layout.StateDir, "closed-days"), ClosedDays.MarkerPath(v.Layout, TestVault.Exchange, TestVault.InstId, Day), StringComparison.Ordinal);
        v.Calc();
        var lines = v.Lines(BarLine.Calc, Day);
        Assert.Equal(1440, lines.Length);
        Assert.Equal(TestVault.T(Day, 23, 59), Minute(lines[^1]));
        Assert.Empty(v.Lines(BarLine.Calc, Day.AddDays(1))); // the next day has no marker and no watermark
    }

    [Fact]
    public void Calc_ClosedMarkerOnTodaysDay_StopsAtNow()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 9, 0, 1), "100", "1")]);
        ClosedDays.Mark(v.Layout, TestVault.Exchange, TestVault.InstId, Day, "backtest", DateTimeOffset.UnixEpoch);
        v.Calc(new CalcOptions { Time = TestClock.At(TestVault.T(Day, 9, 5, 30)) });
        var lines = v.Lines(BarLine.Calc, Day);
        Assert.Equal(5, lines.Length); // 09:00..09:04; 09:05 has not ended
        Assert.Equal(TestVault.T(Day, 9, 4), Minute(lines[^1]));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(4_102_444_800_000L)] // year 2100
    public void Bound_ExtremeWatermark_NeitherOverflowsNorPassesNow(long watermark)
    {
        var now = TestVault.T(Day, 12, 0, 30);
        var bound = Finality.Bound(Day, closed: false, watermark, TimeSpan.FromSeconds(2), now, out var dayFinal);
        Assert.InRange(bound, MinuteTime.DayStart(Day), TestVault.T(Day, 12, 0));
        Assert.False(dayFinal);
    }

    /// <summary>
    /// Property: whatever the trades, watermarks (absent, absurd, moving) and clock, no bar's minute M
    /// ends after the watermark minus lateness nor after now, and every emitted minute is one of the day.
    /// </summary>
    [Fact]
    public void Calc_RandomWatermarksAndClocks_NoDerivedMinuteAfterWatermarkOrNow()
    {
        var lateness = TimeSpan.FromSeconds(2);
        var emitted = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            var random = new Random(seed);
            using var v = TestVault.Create();
            var clock = TestClock.At(TestVault.T(Day, 0, 0));
            var options = new CalcOptions { Time = clock, AllowedLateness = lateness };
            var dayStart = TradeTime.DayStartMs(Day);
            var ts = dayStart + random.Next(0, 3_600_000);
            long? watermark = null;
            var id = 1;
            var seen = 0;
            for (var step = 0; step < 10; step++)
            {
                var trades = new List<RawTrade>();
                for (var n = random.Next(0, 6); n > 0; n--)
                {
                    ts = Math.Min(ts + random.Next(0, 400_000), dayStart + TradeTime.MsPerDay - 1);
                    trades.Add(TestVault.Trade(ts, (100 + random.Next(0, 10)).ToString(CultureInfo.InvariantCulture), "1", id: (id++).ToString(CultureInfo.InvariantCulture)));
                }

                v.Append(trades);
                clock.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), ts + random.Next(-120_000, 600_000))));
                watermark = random.Next(0, 5) switch
                {
                    0 => watermark, // unchanged or absent
                    1 => long.MinValue + random.Next(0, 1000),
                    2 => long.MaxValue - random.Next(0, 1000),
                    _ => ts + random.Next(-90_000, 90_000),
                };
                if (watermark is { } w)
                {
                    v.Watermark(w);
                }

                v.Calc(options);
                var limit = Math.Min(
                    watermark is { } wm && wm >= RawTradeRules.MinTs ? wm - (long)lateness.TotalMilliseconds : long.MinValue,
                    clock.GetUtcNow().ToUnixTimeMilliseconds());
                var lines = v.Lines(BarLine.Calc, Day);
                foreach (var line in lines.Skip(seen)) // the minutes this run made final
                {
                    var minute = Minute(line);
                    Assert.True(minute + MinuteTime.Ms <= limit,
                        $"seed {seed} step {step}: minute {MinuteTime.Format(minute)} ends after watermark/now {limit}");
                }

                emitted += lines.Length - seen;
                seen = lines.Length;
            }
        }

        Assert.True(emitted > 100, $"only {emitted} minutes emitted: the property was barely exercised");
    }
}
