using Pipeline.Simulator.Faults;

namespace Pipeline.Simulator.Trading;

/// <summary>One account's state inside <see cref="PrivateExchange"/>; mutated only under the exchange's lock.</summary>
public sealed class PrivateAccount
{
    internal PrivateAccount(SimAccountSpec spec, TimeProvider time)
    {
        Spec = spec;
        WalletBalance = spec.Balance;
        Limiters = [.. spec.OrderLimits.Select(l => (l, new SlidingWindowLimiter(l.Count, l.Window, time)))];
    }

    public SimAccountSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>Starting balance + realised PnL − fees.</summary>
    public decimal WalletBalance { get; internal set; }

    internal Dictionary<long, PrivateOrder> Orders { get; } = [];

    /// <summary>Every order's id by its client order id (ids are never reused on an account).</summary>
    internal Dictionary<string, long> ByClientOrderId { get; } = new(StringComparer.Ordinal);

    /// <summary>The open orders only, so matching a print does not scan the account's history.</summary>
    internal Dictionary<long, PrivateOrder> Open { get; } = [];

    internal Dictionary<string, PrivatePosition> Positions { get; } = new(StringComparer.Ordinal);

    internal List<IPrivateListener> Listeners { get; } = [];

    /// <summary>
    /// Every fill with the order as it stood after it, in the order made, by instId (Binance userTrades and OKX trade/fills
    /// read one instrument; the demo polls them every step).
    /// </summary>
    internal Dictionary<string, List<(PrivateOrder Order, PrivateFill Fill)>> FillsByInstrument { get; } = new(StringComparer.Ordinal);

    /// <summary>User-stream connections subscribed now.</summary>
    public int ListenerCount => Listeners.Count;

    internal IReadOnlyList<(SimRateLimit Limit, SlidingWindowLimiter Limiter)> Limiters { get; }

    /// <summary>Records the order's new state (and whether it is still open).</summary>
    internal void Store(PrivateOrder order)
    {
        Orders[order.OrderId] = order;
        ByClientOrderId[order.ClientOrderId] = order.OrderId;
        if (order.IsOpen)
        {
            Open[order.OrderId] = order;
        }
        else
        {
            Open.Remove(order.OrderId);
        }
    }

    internal PrivatePosition Position(string instId) =>
        Positions.TryGetValue(instId, out var p) ? p : new PrivatePosition(instId, 0, 0, 0);
}
