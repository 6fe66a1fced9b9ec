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

    /// <summary>Fees paid so far.</summary>
    public decimal FeesPaid { get; internal set; }

    internal Dictionary<long, PrivateOrder> Orders { get; } = [];

    internal HashSet<string> ClientOrderIds { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, PrivatePosition> Positions { get; } = new(StringComparer.Ordinal);

    internal List<IPrivateListener> Listeners { get; } = [];

    /// <summary>User-stream connections subscribed now.</summary>
    public int ListenerCount => Listeners.Count;

    internal IReadOnlyList<(SimRateLimit Limit, SlidingWindowLimiter Limiter)> Limiters { get; }

    internal PrivatePosition Position(string instId) =>
        Positions.TryGetValue(instId, out var p) ? p : new PrivatePosition(instId, 0, 0, 0);
}
