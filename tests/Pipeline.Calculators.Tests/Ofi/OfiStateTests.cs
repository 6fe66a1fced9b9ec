using Pipeline.Calculators.Ofi;

namespace Pipeline.Calculators.Tests.Ofi;

/// <summary>e_n of Cont, Kukanov &amp; Stoikov worked by hand for each case of the price moves.</summary>
public sealed class OfiStateTests
{
    [Fact]
    public void Update_EveryPriceMoveCase_MatchesTheHandWorkedEn()
    {
        var s = new OfiState();
        Assert.Equal(0m, s.Update(100m, 2m, 101m, 3m)); // first quote: no previous one
        Assert.Equal(3m, s.Update(100m, 5m, 101m, 3m)); // bid same: +5 − 2; ask same: −3 + 3
        Assert.Equal(3m, s.Update(100.5m, 1m, 101m, 1m)); // bid up: +1; ask same: −1 + 3
        Assert.Equal(-3m, s.Update(100m, 4m, 100.8m, 2m)); // bid down: −1 (previous size); ask down: −2
        Assert.Equal(2m, s.Update(100m, 4m, 101.2m, 6m)); // bid same: +4 − 4; ask up: +2 (previous size)
        Assert.Equal(5m, s.MinuteOfi);
        Assert.Equal(5, s.MinuteQuotes);
    }

    [Fact]
    public void EndMinute_RollingWindow_SumsTheLastWindowMinutes()
    {
        var s = new OfiState();
        s.Update(100m, 1m, 101m, 1m);
        decimal[] minutes = [3m, -1m, 4m, 2m];
        var rolling = new List<decimal>();
        foreach (var m in minutes)
        {
            s.Update(100m, 1m + m, 101m, 1m); // bid same price, size change: e = new − old
            s.Update(100m, 1m, 101m, 1m); // back: e = −m; so the minute's sum is m − m = 0 ...
            s.MinuteOfi += m; // ... plus m: the minute sums to m
            s.EndMinute(window: 2);
            rolling.Add(s.RollingSum);
        }

        Assert.Equal([3m, 2m, 3m, 6m], rolling);
        Assert.Equal(0m, s.MinuteOfi);
        Assert.Equal(4, s.MinutesSeen);
    }
}
