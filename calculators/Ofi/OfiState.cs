using Pipeline.Calculators.Windows;

namespace Pipeline.Calculators.Ofi;

/// <summary>
/// Order-flow imbalance (Cont, Kukanov &amp; Stoikov 2014) per best-bid/ask event, the minute's sum and a rolling sum of
/// whole minutes. Exact decimal; <see cref="Update"/> allocates nothing. All fields are the persisted state.
/// </summary>
public sealed class OfiState
{
    public bool HasQuote { get; set; }
    public decimal BidPx { get; set; }
    public decimal BidSz { get; set; }
    public decimal AskPx { get; set; }
    public decimal AskSz { get; set; }

    /// <summary>Σ e_n of the current minute, and the number of quote events in it.</summary>
    public decimal MinuteOfi { get; set; }
    public long MinuteQuotes { get; set; }

    /// <summary>The last rolling-window minute sums, oldest first (a ring kept as a list for the state file).</summary>
    public List<decimal> Ring { get; set; } = [];
    public int RingNext { get; set; }
    public decimal RollingSum { get; set; }

    /// <summary>Minutes seen since the series start (for the rolling window's warm-up).</summary>
    public long MinutesSeen { get; set; }

    /// <summary>The robust z-score's baseline: the previous minutes' ofi.</summary>
    public RobustZ Z { get; set; } = new();

    /// <summary>
    /// One best bid/ask event; returns e_n = 1{Pb ≥ Pb'}·qb − 1{Pb ≤ Pb'}·qb' − 1{Pa ≤ Pa'}·qa + 1{Pa ≥ Pa'}·qa'
    /// (primes: the previous quote). The first quote of the series gives 0 (there is no previous one).
    /// </summary>
    public decimal Update(decimal bidPx, decimal bidSz, decimal askPx, decimal askSz)
    {
        var e = 0m;
        if (HasQuote)
        {
            if (bidPx >= BidPx)
            {
                e += bidSz;
            }

            if (bidPx <= BidPx)
            {
                e -= BidSz;
            }

            if (askPx <= AskPx)
            {
                e -= askSz;
            }

            if (askPx >= AskPx)
            {
                e += AskSz;
            }
        }

        HasQuote = true;
        BidPx = bidPx;
        BidSz = bidSz;
        AskPx = askPx;
        AskSz = askSz;
        MinuteOfi += e;
        MinuteQuotes++;
        return e;
    }

    /// <summary>Closes the minute: pushes its sum into the rolling window of <paramref name="window"/> minutes.</summary>
    public void EndMinute(int window)
    {
        if (Ring.Count != window)
        {
            Ring = [.. Enumerable.Repeat(0m, window)];
            RingNext = 0;
            RollingSum = 0;
        }

        RollingSum += MinuteOfi - Ring[RingNext];
        Ring[RingNext] = MinuteOfi;
        RingNext = (RingNext + 1) % window;
        MinutesSeen++;
        MinuteOfi = 0;
        MinuteQuotes = 0;
    }
}
