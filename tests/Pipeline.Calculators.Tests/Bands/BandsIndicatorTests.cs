using System.Text.Json;
using Pipeline.Calculators.Bands;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Tests.Bars;
using Pipeline.Calculators.Tests.Contract;
using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Tests.Bands;

public sealed class BandsIndicatorTests : IndicatorContractTests<WindowState>
{
    private static readonly long Start = TestVault.T(TestVault.Day1, 0, 0);

    private static long M(int i) => Start + (i * 60_000L);

    [Fact]
    public void Apply_IdenticalPrices_SigmaZeroBandsAtVwap()
    {
        var bars = Enumerable.Range(0, 61).Select(i => Bar.Of(M(i), 65000.1m, 0.37m + i)).ToList();
        var lines = Bar.Run(new BandsIndicator([1m, 2m]), bars);
        Assert.Equal(0m, lines[60].Dec("sigma1h"));
        Assert.Equal(65000.1m, lines[60].Dec("upper1h_2"));
        Assert.Equal(65000.1m, lines[60].Dec("lower1h_1"));
        Assert.Equal(0m, lines[60].Dec("sigmaSession"));
    }

    [Fact]
    public void Apply_TwoPrices_SigmaIsTheVolumeWeightedStdDev()
    {
        // 1 at 100 and 3 at 104: vwap 103, variance (1·9 + 3·1)/4 = 3.
        var bars = new List<Pipeline.Calculators.Bars.BarRecord> { Bar.Of(M(0), 100, 1), Bar.Of(M(1), 104, 3) };
        var lines = Bar.Run(new BandsIndicator([1m, 2.5m]), bars);
        var sigma = lines[1].Dec("sigmaSession")!.Value;
        Assert.Equal(3m, sigma * sigma, 24);
        Assert.Equal(103m + (2.5m * sigma), lines[1].Dec("upperSession_2p5"));
        Assert.Equal(103m - sigma, lines[1].Dec("lowerSession_1"));
        Assert.Null(lines[1].Dec("sigma1h"));
    }

    [Fact]
    public void Apply_InverseContractIdenticalPrices_SigmaZero()
    {
        // qtyBase = sz×ctVal/px: 28 significant digits, so the sums carry rounding.
        var px = 65000.1m;
        var bars = Enumerable.Range(0, 61).Select(i =>
        {
            var q = (1 + i) * 100m / px;
            return Bar.Of(M(i), px, 0) with { VolBase = q, VolQuote = px * q, SumPx2Qty = px * q * px };
        }).ToList();
        var lines = Bar.Run(new BandsIndicator([1m, 2m]), bars);
        Assert.Equal(0m, lines[60].Dec("sigma1h"));
        Assert.Equal(0m, lines[60].Dec("sigmaSession"));
        Assert.Equal(px, Math.Round(lines[60].Dec("upper1h_2")!.Value, 18));
    }

    [Fact]
    public void Apply_WarmUpAndQuietHour_NullsUntilWarmAndWithoutVolume()
    {
        var bars = new List<Pipeline.Calculators.Bars.BarRecord> { Bar.Of(M(0), 100, 1), Bar.Of(M(1), 102, 1) };
        bars.AddRange(Enumerable.Range(2, 120).Select(i => Bar.Quiet(M(i), 102)));
        var lines = Bar.Run(new BandsIndicator([1m]), bars);
        Assert.Null(lines[58].Dec("sigma1h"));
        Assert.Equal(1m, lines[59].Dec("sigma1h"));
        Assert.Equal(102m, lines[59].Dec("upper1h_1"));
        Assert.Null(lines[61].Dec("sigma1h")); // both trades left the hour
        Assert.Equal(1m, lines[121].Dec("sigmaSession"));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("0.0001")]
    [InlineData("4225013000.01")]
    [InlineData("123456789.123456789")]
    public void Sqrt_Decimal_SquaresBack(string text)
    {
        var x = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var r = DecimalMath.Sqrt(x);
        Assert.True(Math.Abs((r * r) - x) <= x * 1e-26m, $"{r}² = {r * r}");
    }

    [Fact]
    public void Outputs_BandWarmUp_TheWindowsVwapWarmUp()
    {
        var bands = new BandsIndicator([1m, 2.5m]);
        Assert.Equal(60, bands.WarmUpOf("sigma1h").Minutes);
        Assert.Equal(60, bands.WarmUpOf("upper1h_2p5").Minutes);
        Assert.Equal(240, bands.WarmUpOf("lower4h_1").Minutes);
        Assert.Equal(WarmUp.Session, bands.WarmUpOf("upperSession_1"));
        Assert.Equal(3 + (3 * 2 * 2), bands.Outputs.Count);
    }

    protected override decimal Tolerance => 1e-12m;

    protected override IBarIndicator<WindowState> Create(int sessionResetHour) => new BandsIndicator([1m, 2.5m], sessionResetHour);

    protected override IReadOnlyList<IReadOnlyDictionary<string, decimal?>> Baseline(IReadOnlyList<SeriesMinute> series, int sessionResetHour) =>
        BandsBaseline.Of(series, sessionResetHour, [(1m, "1"), (2.5m, "2p5")]);

    /// <summary>The session's sigma and bands are unchanged; the hour's are null once its trades have left it.</summary>
    protected override void AssertQuietMinutes(IReadOnlyList<JsonElement> lines)
    {
        var before = lines[QuietFrom - 1];
        for (var i = QuietFrom; i < QuietTo; i++)
        {
            Assert.Equal(Value(before, "sigmaSession"), Value(lines[i], "sigmaSession"));
            Assert.Equal(Value(before, "upperSession_2p5"), Value(lines[i], "upperSession_2p5"));
            if (i < QuietFrom + 59)
            {
                Assert.NotNull(Value(lines[i], "sigma1h"));
            }
            else
            {
                Assert.Null(Value(lines[i], "sigma1h"));
                Assert.Null(Value(lines[i], "upper1h_1"));
                Assert.Null(Value(lines[i], "lower1h_2p5"));
            }
        }
    }
}
