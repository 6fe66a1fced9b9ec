namespace Pipeline.Exporter.Micro;

/// <summary>
/// The keys written within a bounded recent window of event time (and count): the dedup of streams without a
/// sequence (liquidations by (ts, side, px, sz), derivatives by (ts, channel)). A key older than the window is
/// forgotten, so a replay older than the window would be written again: the window is far wider than any resend.
/// </summary>
public sealed class RecentKeys<TKey>(long windowMs, int capacity)
    where TKey : notnull
{
    private readonly HashSet<TKey> _keys = [];
    private readonly Queue<(long Ts, TKey Key)> _order = new();
    private long _maxTs = long.MinValue;

    public int Count => _keys.Count;

    public bool Contains(TKey key) => _keys.Contains(key);

    /// <summary>Remembers <paramref name="key"/> (event time <paramref name="ts"/>); false when it is already known.</summary>
    public bool Add(long ts, TKey key)
    {
        if (!_keys.Add(key))
        {
            return false;
        }

        _order.Enqueue((ts, key));
        _maxTs = Math.Max(_maxTs, ts);
        while (_order.Count > 0 && (_order.Count > capacity || _order.Peek().Ts < _maxTs - windowMs))
        {
            _keys.Remove(_order.Dequeue().Key);
        }

        return true;
    }
}
