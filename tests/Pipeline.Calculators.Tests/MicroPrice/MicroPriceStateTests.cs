using Pipeline.Calculators.MicroPrice;

namespace Pipeline.Calculators.Tests.MicroPrice;

public sealed class MicroPriceStateTests
{
    [Fact]
    public void OnQuote_AndTrade_MicroPriceImbalanceAndDivergenceAsHandWorked()
    {
        var s = new MicroPriceState();
        Assert.Null(s.MicroPrice);
        Assert.Null(s.Divergence);
        s.OnQuote(100m, 1m, 101m, 3m);
        Assert.Equal(100.25m, s.MicroPrice); // (101·1 + 100·3)/4: leans to the bid, where the size is
        Assert.Equal(-0.5m, s.Imbalance); // (1 − 3)/4
        Assert.Equal(100.5m, s.Mid);
        Assert.Null(s.Divergence); // no trade yet
        s.OnTrade(100.1m);
        Assert.Equal(0.15m, s.Divergence);
        Assert.Equal(14.985014985014985014985014985m, s.DivergenceBps); // 1500/100.1 to decimal's 29 significant digits (Python decimal, prec 29)
    }

    [Fact]
    public void OnQuote_BothSizesZero_NoMicroPriceInsteadOfADivisionByZero()
    {
        var s = new MicroPriceState();
        s.OnQuote(100m, 0m, 101m, 0m);
        Assert.Null(s.MicroPrice);
        Assert.Null(s.Imbalance);
        Assert.Equal(100.5m, s.Mid);
    }
}
