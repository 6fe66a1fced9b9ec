using System.Text.Json;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Cvd;
using Pipeline.Calculators.Tests.Bars;
using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.Cvd;

public sealed class CvdIndicatorTests : IndicatorContractTests<CvdState>
{
    [Fact]
    public void Apply_SessionRollover_SessionResetsTotalContinues()
    {
        var m0 = TestVault.T(TestVault.Day1, 23, 59);
        var bars = new[] { Bar.Of(m0, 100, 5, buy: 4), Bar.Quiet(m0 + 60_000, 100), Bar.Of(m0 + 120_000, 100, 2, buy: 0) };
        var lines = Bar.Run(new CvdIndicator(), bars);
        Assert.Equal(3m, lines[0].Dec("delta"));
        Assert.Equal(3m, lines[0].Dec("cvdSession"));
        Assert.Equal(0m, lines[1].Dec("cvdSession")); // new session at 00:00, quiet minute
        Assert.Equal(3m, lines[1].Dec("cvdTotal"));
        Assert.Equal(-2m, lines[2].Dec("cvdSession"));
        Assert.Equal(1m, lines[2].Dec("cvdTotal"));
        Assert.Equal(0m, lines[2].Dec("buyVol"));
        Assert.Equal(2m, lines[2].Dec("sellVol"));
    }

    [Fact]
    public void Outputs_NoWarmUp_EveryFieldFromTheFirstBar() =>
        Assert.All(new CvdIndicator().Outputs, o => Assert.Equal(WarmUp.None, o.WarmUp));

    protected override IBarIndicator<CvdState> Create(int sessionResetHour) => new CvdIndicator(sessionResetHour);

    protected override IReadOnlyList<IReadOnlyDictionary<string, decimal?>> Baseline(IReadOnlyList<SeriesMinute> series, int sessionResetHour) =>
        CvdBaseline.Of(series, sessionResetHour);

    /// <summary>Zero buy, sell and delta; both cumulative deltas unchanged.</summary>
    protected override void AssertQuietMinutes(IReadOnlyList<JsonElement> lines)
    {
        var before = lines[QuietFrom - 1];
        for (var i = QuietFrom; i < QuietTo; i++)
        {
            Assert.Equal(0m, Value(lines[i], "buyVol"));
            Assert.Equal(0m, Value(lines[i], "sellVol"));
            Assert.Equal(0m, Value(lines[i], "delta"));
            Assert.Equal(Value(before, "cvdSession"), Value(lines[i], "cvdSession"));
            Assert.Equal(Value(before, "cvdTotal"), Value(lines[i], "cvdTotal"));
        }
    }
}
