using Pipeline.Calculators.Cvd;
using Pipeline.Calculators.Tests.Bars;

namespace Pipeline.Calculators.Tests.Cvd;

public sealed class CvdIndicatorTests
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
}
