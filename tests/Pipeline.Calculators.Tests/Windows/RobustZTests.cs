using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Tests.Windows;

/// <summary>RobustZ against hand-worked medians and MADs (the baseline is the previous n values, never x itself).</summary>
public sealed class RobustZTests
{
    [Fact]
    public void Push_OddWindow_ScoresAgainstThePreviousValuesAndDropsTheOldest()
    {
        var z = new RobustZ();
        Assert.Null(z.Push(1m, 3));
        Assert.Null(z.Push(2m, 3));
        Assert.Null(z.Push(3m, 3)); // only 2 values before it: warming up
        // Baseline {1, 2, 3}: median 2, deviations 1, 0, 1 → MAD 1.
        Assert.Equal(5m / 1.4826m, z.Push(7m, 3));
        // Baseline {2, 3, 7} (1 left): median 3, deviations 1, 0, 4 → MAD 1.
        Assert.Equal(-1m / 1.4826m, z.Push(2m, 3));
    }

    [Fact]
    public void Push_EvenWindow_MedianIsTheMeanOfTheTwoMiddleValues()
    {
        var z = new RobustZ();
        foreach (var v in new[] { 10m, 1m, 3m, 2m })
        {
            Assert.Null(z.Push(v, 4));
        }

        // Baseline {1, 2, 3, 10}: median 2.5; deviations 1.5, 0.5, 0.5, 7.5 → median of {0.5, 0.5, 1.5, 7.5} = 1.
        Assert.Equal(1.5m / 1.4826m, z.Push(4m, 4));
    }

    [Fact]
    public void Push_FlatBaseline_NullNotInfinite()
    {
        var z = new RobustZ();
        z.Push(0m, 3);
        z.Push(0m, 3);
        z.Push(0m, 3);
        Assert.Null(z.Push(5m, 3)); // MAD 0: no scale
    }

    [Fact]
    public void Push_NullValue_NullAndNotInTheBaseline()
    {
        var z = new RobustZ();
        z.Push(1m, 2);
        Assert.Null(z.Push(null, 2));
        z.Push(3m, 2);
        // Baseline {1, 3}: median 2, MAD 1.
        Assert.Equal(3m / 1.4826m, z.Push(5m, 2));
    }

    [Fact]
    public void Push_AnotherWindow_StartsAgain()
    {
        var z = new RobustZ();
        z.Push(1m, 2);
        z.Push(3m, 2);
        Assert.Null(z.Push(5m, 3)); // the 3-minute window has nothing yet
        Assert.Single(z.Values);
    }
}
