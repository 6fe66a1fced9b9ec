using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.MicroPrice;

/// <summary>
/// The last best bid/ask and trade price, and what follows from them: micro-price, mid, top-of-book imbalance and the
/// micro-price's divergence from the last trade. Exact decimal (the divisions round to 28 significant digits, the same
/// on every machine). <see cref="OnQuote"/> and <see cref="OnTrade"/> allocate nothing.
/// </summary>
public sealed class MicroPriceState
{
    public bool HasQuote { get; set; }
    public decimal BidPx { get; set; }
    public decimal BidSz { get; set; }
    public decimal AskPx { get; set; }
    public decimal AskSz { get; set; }
    public decimal? LastTradePx { get; set; }

    /// <summary>The robust z-score's baseline: the previous minutes' divergenceBps.</summary>
    public RobustZ DivergenceZ { get; set; } = new();

    /// <summary>Micro-price (ask·bidSize + bid·askSize)/(bidSize + askSize) of the last quote; null before one (or both sizes zero).</summary>
    public decimal? MicroPrice { get; set; }

    /// <summary>(bidSize − askSize)/(bidSize + askSize) of the last quote, in [−1, 1].</summary>
    public decimal? Imbalance { get; set; }

    public void OnQuote(decimal bidPx, decimal bidSz, decimal askPx, decimal askSz)
    {
        HasQuote = true;
        BidPx = bidPx;
        BidSz = bidSz;
        AskPx = askPx;
        AskSz = askSz;
        var total = bidSz + askSz;
        if (total == 0)
        {
            MicroPrice = null;
            Imbalance = null;
            return;
        }

        MicroPrice = ((askPx * bidSz) + (bidPx * askSz)) / total;
        Imbalance = (bidSz - askSz) / total;
    }

    public void OnTrade(decimal px) => LastTradePx = px;

    public decimal? Mid => HasQuote ? (BidPx + AskPx) / 2 : null;

    /// <summary>Micro-price − last trade price; null until both exist.</summary>
    public decimal? Divergence => MicroPrice is { } m && LastTradePx is { } t ? m - t : null;

    /// <summary>The divergence in basis points of the last trade price.</summary>
    public decimal? DivergenceBps => Divergence is { } d && LastTradePx is { } t ? d * 10_000m / t : null;
}
