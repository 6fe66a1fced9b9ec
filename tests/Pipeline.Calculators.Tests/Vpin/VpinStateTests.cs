using Pipeline.Calculators.Vpin;

namespace Pipeline.Calculators.Tests.Vpin;

/// <summary>Tick-rule classification and bucket filling worked by hand (V = 10, n = 2).</summary>
public sealed class VpinStateTests
{
    [Fact]
    public void OnTrade_TickRuleAndSplitBuckets_MatchTheHandWorkedVpin()
    {
        var s = new VpinState();
        s.OnTrade(100m, 3m, 10m, 2); // no previous price: unclassified, fills nothing
        s.OnTrade(101m, 4m, 10m, 2); // up-tick: buy 4
        s.OnTrade(101m, 8m, 10m, 2); // same price: buy; 6 complete bucket 1 (|10 − 0| = 10), 2 start bucket 2
        Assert.Equal(1, s.Buckets);
        Assert.Null(s.Vpin(10m, 2));
        s.OnTrade(100m, 5m, 10m, 2); // down-tick: sell 5 (bucket 2: buy 2, sell 5)
        s.OnTrade(99m, 3m, 10m, 2); // sell 3: bucket 2 complete, |2 − 8| = 6
        Assert.Equal(2, s.Buckets);
        Assert.Equal(0.8m, s.Vpin(10m, 2)); // (10 + 6)/(2·10)
        s.OnTrade(99m, 25m, 10m, 2); // same price: sell; two whole buckets (10, 10) and 5 left over
        Assert.Equal(4, s.Buckets);
        Assert.Equal(1m, s.Vpin(10m, 2));
        Assert.Equal(5m, s.BucketSell);
        Assert.Equal(4, s.MinuteBuckets);
    }
}
