namespace Pipeline.Simulator.Trading;

/// <summary>
/// A one-way (net) position: signed quantity (long &gt; 0), the average entry of what is open, and the PnL realised so far
/// (before fees, which the wallet pays separately).
/// </summary>
public sealed record PrivatePosition(string InstId, decimal Quantity, decimal EntryPrice, decimal RealizedPnl)
{
    /// <summary>
    /// The position after a fill of <paramref name="quantity"/> (positive) at <paramref name="price"/>: adding to the
    /// position averages the entry; reducing realises (price − entry) × closed × sign × <paramref name="multiplier"/>; crossing zero opens the
    /// rest at the fill price.
    /// </summary>
    public (PrivatePosition Next, decimal Realized) Apply(PrivateSide side, decimal price, decimal quantity, decimal multiplier)
    {
        var signed = side == PrivateSide.Buy ? quantity : -quantity;
        if (Quantity == 0 || Math.Sign(Quantity) == Math.Sign(signed))
        {
            var total = Math.Abs(Quantity) + quantity;
            var entry = (Math.Abs(Quantity) * EntryPrice + quantity * price) / total;
            return (this with { Quantity = Quantity + signed, EntryPrice = entry }, 0m);
        }

        var closed = Math.Min(quantity, Math.Abs(Quantity));
        var realized = (price - EntryPrice) * closed * Math.Sign(Quantity) * multiplier;
        var next = Quantity + signed;
        var nextEntry = next == 0 ? 0m : Math.Sign(next) == Math.Sign(Quantity) ? EntryPrice : price;
        return (this with { Quantity = next, EntryPrice = nextEntry, RealizedPnl = RealizedPnl + realized }, realized);
    }
}
