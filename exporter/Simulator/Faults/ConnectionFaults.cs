namespace Pipeline.Simulator.Faults;

/// <summary>
/// The faults of one WebSocket connection: when it will be cut or go silent (wall time, drawn around
/// the configured intervals) and the per-message dice. Faults only touch delivery, never the market.
/// </summary>
public sealed class ConnectionFaults
{
    private readonly FaultSpec _spec;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly long _opened;
    private readonly TimeSpan? _disconnectAfter;
    private readonly TimeSpan? _stallAfter;

    public ConnectionFaults(FaultSpec spec, int seed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        _spec = spec;
#pragma warning disable CA5394 // fault dice, not security
        _random = new Random(seed);
        _time = time;
        _opened = time.GetTimestamp();
        _disconnectAfter = spec.Disconnect is { } d ? d * (0.5 + _random.NextDouble()) : null;
        _stallAfter = spec.Stall is { } s ? s * (0.5 + _random.NextDouble()) : null;
    }

    public bool Any => !_spec.IsNone;

    public bool DisconnectDue => _disconnectAfter is { } d && _time.GetElapsedTime(_opened) >= d;

    public bool StallDue => _stallAfter is { } s && _time.GetElapsedTime(_opened) >= s;

    /// <summary>Wall time until the next scheduled disconnect or stall (null = none).</summary>
    public TimeSpan? NextDeadline
    {
        get
        {
            var elapsed = _time.GetElapsedTime(_opened);
            TimeSpan? next = null;
            foreach (var at in new[] { _disconnectAfter, _stallAfter })
            {
                if (at is { } t)
                {
                    var left = t - elapsed;
                    left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                    next = next is { } n && n < left ? n : left;
                }
            }

            return next;
        }
    }

    public bool AbruptClose() => _random.NextDouble() < 0.5;

    public bool Dup() => _spec.Dup > 0 && _random.NextDouble() < _spec.Dup;

    public bool Reorder() => _spec.Reorder > 0 && _random.NextDouble() < _spec.Reorder;

    public bool Malformed() => _spec.Malformed > 0 && _random.NextDouble() < _spec.Malformed;

    /// <summary>For a malformed message: true = cut the real message short (it is lost), false = insert garbage.</summary>
    public bool Truncate() => _random.NextDouble() < 0.5;

    public int Next(int max) => _random.Next(max);
#pragma warning restore CA5394
}
