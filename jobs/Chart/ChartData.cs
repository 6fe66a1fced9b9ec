using Pipeline.Jobs.Execution;

namespace Pipeline.Jobs.Chart;

/// <summary>What a price chart shows: minutes (close, VWAP, bands), fills as marks and stop/take-profit levels.</summary>
public sealed record ChartData(string Title, string Instrument, IReadOnlyList<ChartMinute> Minutes, IReadOnlyList<ChartMark> Marks,
    IReadOnlyList<ChartLevel> Levels)
{
    /// <summary>
    /// Marks from the fills (each exit carries its position's direction) and levels from the stop and
    /// take-profit orders: from "placed" to their "filled" or "cancelled" event (to <paramref name="openUntilTs"/> while still resting).
    /// </summary>
    public static ChartData From(string title, string instrument, IReadOnlyList<ChartMinute> minutes, IEnumerable<FillEvent> fills,
        IEnumerable<OrderEvent> orders, long openUntilTs)
    {
        ArgumentNullException.ThrowIfNull(fills);
        ArgumentNullException.ThrowIfNull(orders);
        var direction = new Dictionary<string, string>(StringComparer.Ordinal);
        var marks = new List<ChartMark>();
        foreach (var fill in fills.OrderBy(f => f.Ts))
        {
            if (fill.Kind == "entry")
            {
                direction[fill.PositionId] = fill.Side == "buy" ? "long" : "short";
            }

            // An exit sells a long and buys back a short: its side tells the direction when the entry is outside the ledger read.
            var dir = direction.GetValueOrDefault(fill.PositionId) ?? (fill.Side == "sell" ? "long" : "short");
            marks.Add(new ChartMark(fill.Ts, fill.Px, fill.Kind, dir, fill.PositionId));
        }

        var placed = new Dictionary<string, OrderEvent>(StringComparer.Ordinal);
        var levels = new List<ChartLevel>();
        foreach (var order in orders.Where(o => o.Kind is "stop_loss" or "take_profit").OrderBy(o => o.Ts))
        {
            if (order.Event == "placed")
            {
                placed[order.OrderId] = order;
            }
            else if (placed.Remove(order.OrderId, out var start))
            {
                levels.Add(new ChartLevel(start.Ts, order.Ts, start.Px, start.Kind, start.PositionId ?? ""));
            }
        }

        levels.AddRange(placed.Values.Select(o => new ChartLevel(o.Ts, Math.Max(o.Ts, openUntilTs), o.Px, o.Kind, o.PositionId ?? "")));
        return new ChartData(title, instrument, minutes, marks, [.. levels.OrderBy(l => l.FromTs)]);
    }
}
