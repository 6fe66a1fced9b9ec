using System.Text.Json;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Tests.Bars;
using Pipeline.Calculators.Tests.Contract;
using Pipeline.Calculators.Vwap;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Tests.Vwap;

public sealed class VwapIndicatorTests : IndicatorContractTests<WindowState>
{
    private static readonly long Start = TestVault.T(TestVault.Day1, 0, 0);

    private static long M(int i) => Start + (i * 60_000L);

    [Fact]
    public void Apply_SingleTrade_Vwap1mIsItsPriceLongerWindowsNotWarm()
    {
        var lines = Bar.Run(new VwapIndicator(), [Bar.Of(M(0), 100.5m, 2)]);
        Assert.Equal(100.5m, lines[0].Dec("vwap1m"));
        Assert.Null(lines[0].Dec("vwap1h"));
        Assert.Null(lines[0].Dec("vwap4h"));
        Assert.Equal(100.5m, lines[0].Dec("vwapSession")); // the series starts with the session
    }

    [Fact]
    public void Apply_WarmUp_HourWindowFromMinute60AndExactRollingSums()
    {
        var bars = Enumerable.Range(0, 300).Select(i => Bar.Of(M(i), 100 + (i % 7), 1 + (i % 3))).ToList();
        var lines = Bar.Run(new VwapIndicator(), bars);
        Assert.Null(lines[58].Dec("vwap1h"));
        for (var i = 59; i < 300; i++)
        {
            var window = bars.Skip(i - 59).Take(60).ToList();
            Assert.Equal(window.Sum(b => b.VolQuote) / window.Sum(b => b.VolBase), lines[i].Dec("vwap1h"));
            Assert.Equal(window.Sum(b => b.Trades), lines[i].GetProperty("trades1h").GetInt64());
        }

        Assert.Null(lines[238].Dec("vwap4h"));
        var w4 = bars.Skip(299 - 239).Take(240).ToList();
        Assert.Equal(w4.Sum(b => b.VolQuote) / w4.Sum(b => b.VolBase), lines[299].Dec("vwap4h"));
        Assert.Equal(w4.Sum(b => b.VolBase), lines[299].Dec("vol4h"));
    }

    [Fact]
    public void Apply_QuietMinutes_Vwap1mNullWindowsKeepTheirTrades()
    {
        var bars = new List<Pipeline.Calculators.Bars.BarRecord> { Bar.Of(M(0), 100) };
        bars.AddRange(Enumerable.Range(1, 70).Select(i => Bar.Quiet(M(i), 100)));
        var lines = Bar.Run(new VwapIndicator(), bars);
        Assert.Null(lines[1].Dec("vwap1m"));
        Assert.Equal(100m, lines[59].Dec("vwap1h"));
        Assert.Null(lines[60].Dec("vwap1h")); // the only trade left the hour
        Assert.Equal(0, lines[60].GetProperty("trades1h").GetInt64());
        Assert.Equal(0m, lines[60].Dec("vol1h"));
    }

    [Fact]
    public void Apply_SessionRollover_ResetsAtTheConfiguredHour()
    {
        var start = TestVault.T(TestVault.Day1, 7, 58);
        var bars = Enumerable.Range(0, 4).Select(i => Bar.Of(start + (i * 60_000L), 100 + i)).ToList();
        var lines = Bar.Run(new VwapIndicator(sessionResetHour: 8), bars);
        Assert.Null(lines[1].Dec("vwapSession")); // the series began mid-session
        Assert.Equal(102m, lines[2].Dec("vwapSession"));
        Assert.Equal(102.5m, lines[3].Dec("vwapSession"));
        Assert.Equal(2, lines[3].GetProperty("tradesSession").GetInt64());
    }

    [Fact]
    public void Apply_GapLongerThanTheRing_WindowsStartEmpty()
    {
        var bars = new[] { Bar.Of(M(0), 100), Bar.Of(M(1), 100), Bar.Of(M(1000), 200) };
        var state = new VwapIndicator().NewState();
        var lines = Bar.Run(new VwapIndicator(), bars, state);
        Assert.Equal(200m, lines[2].Dec("vwap1h"));
        Assert.Equal(1, lines[2].GetProperty("trades4h").GetInt64());
    }

    [Fact]
    public void Outputs_WindowWarmUps_60And240MinutesAndSession()
    {
        var vwap = new VwapIndicator();
        Assert.Equal(WarmUp.None, vwap.WarmUpOf("vwap1m"));
        Assert.Equal(60, vwap.WarmUpOf("vwap1h").Minutes);
        Assert.Equal(240, vwap.WarmUpOf("trades4h").Minutes);
        Assert.Equal(WarmUp.Session, vwap.WarmUpOf("volSession"));
        Assert.Equal(240, vwap.WarmUpMinutes());
    }

    protected override IBarIndicator<WindowState> Create(int sessionResetHour) => new VwapIndicator(sessionResetHour);

    protected override IReadOnlyList<IReadOnlyDictionary<string, decimal?>> Baseline(IReadOnlyList<SeriesMinute> series, int sessionResetHour) =>
        VwapBaseline.Of(series, sessionResetHour);

    /// <summary>No 1m VWAP; the session is unchanged; the hour keeps its trades until they leave it, then has no VWAP and zero volume.</summary>
    protected override void AssertQuietMinutes(IReadOnlyList<JsonElement> lines)
    {
        var before = lines[QuietFrom - 1];
        for (var i = QuietFrom; i < QuietTo; i++)
        {
            Assert.Null(Value(lines[i], "vwap1m"));
            Assert.Equal(Value(before, "vwapSession"), Value(lines[i], "vwapSession"));
            Assert.Equal(Value(before, "tradesSession"), Value(lines[i], "tradesSession"));
            Assert.Equal(Value(before, "volSession"), Value(lines[i], "volSession"));
            if (i < QuietFrom + 59)
            {
                Assert.NotNull(Value(lines[i], "vwap1h"));
            }
            else
            {
                Assert.Null(Value(lines[i], "vwap1h"));
                Assert.Equal(0m, Value(lines[i], "trades1h"));
                Assert.Equal(0m, Value(lines[i], "vol1h"));
            }
        }
    }
}
