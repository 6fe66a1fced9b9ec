using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Report;

/// <summary>
/// What a trader asks after the headline numbers, from the round trips (as the executor valued them) and
/// the order events: how many orders filled, what a trade earns on average, the longest losing streak,
/// each direction on its own, and how many days the Sharpe ratio rests on.
/// </summary>
public sealed record TradeStats
{
    /// <summary>Below this many daily returns the Sharpe ratio is shown per day only, with its sample size, never annualised.</summary>
    public const int MinDaysToAnnualise = 30;

    /// <summary>Orders placed (every kind: entries, take-profit and stop legs, exits at VWAP).</summary>
    public int OrdersPlaced { get; init; }

    public int OrdersFilled { get; init; }

    /// <summary>Filled / placed orders in %; null without orders. The two legs of an exit pair count both, and one of them is always cancelled.</summary>
    public decimal? FillRatePct { get; init; }

    public int EntriesPlaced { get; init; }
    public int EntriesFilled { get; init; }

    /// <summary>Filled / placed entry orders in % (entries not crossed within their time-to-live expire); null without entries.</summary>
    public decimal? EntryFillRatePct { get; init; }

    /// <summary>Mean net PnL per round trip (quote); null without trades.</summary>
    public decimal? Expectancy { get; init; }

    /// <summary>Mean net return per round trip in % of notional; null without trades.</summary>
    public decimal? ExpectancyPct { get; init; }

    /// <summary>The longest run of consecutive losing round trips (net PnL &lt; 0) in exit order; a trade at exactly 0 ends a run.</summary>
    public int MaxConsecutiveLosses { get; init; }

    public required SideStats LongSide { get; init; }
    public required SideStats ShortSide { get; init; }

    /// <summary>Daily returns behind the daily Sharpe: every UTC day from the first entry to the last exit (0 without trades).</summary>
    public int SharpeDays { get; init; }

    /// <summary>Whether <see cref="SharpeDays"/> is enough to annualise (at least <see cref="MinDaysToAnnualise"/>).</summary>
    public bool CanAnnualise => SharpeDays >= MinDaysToAnnualise;

    public static TradeStats From(IReadOnlyList<RoundTrip> trips, IEnumerable<OrderEvent> orders)
    {
        ArgumentNullException.ThrowIfNull(trips);
        ArgumentNullException.ThrowIfNull(orders);
        var list = orders.ToList();
        var placed = list.Count(o => o.Event == "placed");
        var filled = list.Count(o => o.Event == "filled");
        var entriesPlaced = list.Count(o => o.Event == "placed" && o.Kind == "entry");
        var entriesFilled = list.Count(o => o.Event == "filled" && o.Kind == "entry");
        var streak = 0;
        var longest = 0;
        foreach (var trip in trips.OrderBy(t => t.ExitTs))
        {
            streak = trip.NetPnl < 0 ? streak + 1 : 0;
            longest = Math.Max(longest, streak);
        }

        return new TradeStats
        {
            OrdersPlaced = placed,
            OrdersFilled = filled,
            FillRatePct = placed == 0 ? null : filled * 100m / placed,
            EntriesPlaced = entriesPlaced,
            EntriesFilled = entriesFilled,
            EntryFillRatePct = entriesPlaced == 0 ? null : entriesFilled * 100m / entriesPlaced,
            Expectancy = trips.Count == 0 ? null : trips.Sum(t => t.NetPnl) / trips.Count,
            ExpectancyPct = trips.Count == 0 ? null : trips.Sum(t => t.NetReturnPct) / trips.Count,
            MaxConsecutiveLosses = longest,
            LongSide = SideStats.Of(trips.Where(t => t.Direction == "long")),
            ShortSide = SideStats.Of(trips.Where(t => t.Direction == "short")),
            SharpeDays = trips.Count == 0 ? 0
                : TradeTime.Day(trips.Max(t => t.ExitTs)).DayNumber - TradeTime.Day(trips.Min(t => t.EntryTs)).DayNumber + 1,
        };
    }
}
