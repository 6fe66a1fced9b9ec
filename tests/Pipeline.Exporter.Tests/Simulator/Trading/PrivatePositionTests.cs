using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>Position, average entry and realised PnL against hand-worked numbers.</summary>
public sealed class PrivatePositionTests
{
    [Fact]
    public void PrivatePosition_AddReduceFlipAndClose_EntryAndRealisedPnlAsWorkedByHand()
    {
        var p = new PrivatePosition("X", 0, 0, 0);

        // Buy 2 @ 100, buy 1 @ 103: long 3, entry (200 + 103) / 3 = 101.
        (p, var r1) = p.Apply(PrivateSide.Buy, 100m, 2m, 1m);
        (p, var r2) = p.Apply(PrivateSide.Buy, 103m, 1m, 1m);
        Assert.Equal((3m, 101m, 0m, 0m), (p.Quantity, p.EntryPrice, r1, r2));

        // Sell 4 @ 110: closes 3 for (110 - 101) × 3 = 27, opens short 1 at 110.
        (p, var r3) = p.Apply(PrivateSide.Sell, 110m, 4m, 1m);
        Assert.Equal((-1m, 110m, 27m, 27m), (p.Quantity, p.EntryPrice, r3, p.RealizedPnl));

        // Buy 1 @ 105: the short gains (105 - 110) × 1 × (−1) = 5; flat, entry 0.
        (p, var r4) = p.Apply(PrivateSide.Buy, 105m, 1m, 1m);
        Assert.Equal((0m, 0m, 5m, 32m), (p.Quantity, p.EntryPrice, r4, p.RealizedPnl));
    }

    [Fact]
    public void PrivatePosition_ContractMultiplier_ScalesRealisedPnl()
    {
        // OKX-style contracts of 0.01 BTC: long 10 contracts @ 60000, sell 4 @ 60500 → 500 × 4 × 0.01 = 20.
        var (p, _) = new PrivatePosition("X", 0, 0, 0).Apply(PrivateSide.Buy, 60000m, 10m, 0.01m);
        (p, var realized) = p.Apply(PrivateSide.Sell, 60500m, 4m, 0.01m);
        Assert.Equal((6m, 60000m, 20m), (p.Quantity, p.EntryPrice, realized));
    }
}
