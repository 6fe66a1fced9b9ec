using System.Text.Json;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.KyleLambda;
using Pipeline.Calculators.Tests.Bars;
using Pipeline.Calculators.Tests.Contract;

namespace Pipeline.Calculators.Tests.KyleLambda;

public sealed class KyleLambdaIndicatorTests : IndicatorContractTests<KyleLambdaState>
{
    private const int W = 30;

    [Fact]
    public void Apply_ThreeBarWindow_SlopeAsHandWorked()
    {
        // closes 100, 101, 103, 102 and signed volumes (x) of bars 1..3: 1, 2, −1; dp (y): 1, 2, −1
        // n = 3, Σx = 2, Σy = 2, Σxy = 6, Σx² = 6: λ = (3·6 − 2·2)/(3·6 − 2·2) = 1
        var m0 = TestVault.T(TestVault.Day1, 1, 0);
        var bars = new[]
        {
            Bar.Of(m0, 100m, 1m), Bar.Of(m0 + 60_000, 101m, 1m), Bar.Of(m0 + 120_000, 103m, 2m), Bar.Of(m0 + 180_000, 102m, 1m, buy: 0),
            Bar.Of(m0 + 240_000, 102.5m, 3m), // x = 3, y = 0.5: window (2, 2), (−1, −1), (3, 0.5)
        };
        var lines = Bar.Run(new KyleLambdaIndicator(3), bars);
        Assert.Null(lines[0].Dec("dp"));
        Assert.Null(lines[2].Dec("lambda"));
        Assert.Equal(1m, lines[3].Dec("lambda"));
        // Σx = 4, Σy = 1.5, Σxy = 4 + 1 + 1.5 = 6.5, Σx² = 4 + 1 + 9 = 14: (3·6.5 − 4·1.5)/(3·14 − 16) = 13.5/26
        Assert.Equal(13.5m / 26m, lines[4].Dec("lambda"));
        Assert.Equal(0.5m, lines[4].Dec("dp"));
        Assert.Equal(3m, lines[4].Dec("signedVol"));
    }

    protected override IBarIndicator<KyleLambdaState> Create(int sessionResetHour) => new KyleLambdaIndicator(W);

    // The baseline centres the data (Σ(x − x̄)(y − ȳ)/Σ(x − x̄)²): the same slope by another route, so its divisions
    // round differently; 1e-20 relative is far below any meaningful digit.
    protected override decimal Tolerance => 1e-20m;

    protected override IReadOnlyList<IReadOnlyDictionary<string, decimal?>> Baseline(IReadOnlyList<SeriesMinute> series, int sessionResetHour)
    {
        var bars = Series.BarsOf(series);
        var result = new List<IReadOnlyDictionary<string, decimal?>>();
        for (var i = 0; i < bars.Count; i++)
        {
            decimal? lambda = null;
            if (i >= W)
            {
                var xs = Enumerable.Range(i - W + 1, W).Select(j => bars[j].BuyVolBase - bars[j].SellVolBase).ToList();
                var ys = Enumerable.Range(i - W + 1, W).Select(j => bars[j].Close - bars[j - 1].Close).ToList();
                var mx = xs.Average();
                var my = ys.Average();
                var sxx = xs.Sum(x => (x - mx) * (x - mx));
                lambda = sxx == 0 ? null : xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
            }

            result.Add(new Dictionary<string, decimal?>
            {
                ["dp"] = i == 0 ? null : bars[i].Close - bars[i - 1].Close,
                ["signedVol"] = bars[i].BuyVolBase - bars[i].SellVolBase,
                ["lambda"] = lambda,
            });
        }

        return result;
    }

    /// <summary>Quiet minutes: no price change, no signed volume; λ null once the whole window is quiet (no variance).</summary>
    protected override void AssertQuietMinutes(IReadOnlyList<JsonElement> lines)
    {
        for (var i = QuietFrom; i < QuietTo; i++)
        {
            Assert.Equal(0m, Value(lines[i], "dp"));
            Assert.Equal(0m, Value(lines[i], "signedVol"));
            if (i >= QuietFrom + W - 1)
            {
                Assert.Null(Value(lines[i], "lambda"));
            }
        }
    }
}
