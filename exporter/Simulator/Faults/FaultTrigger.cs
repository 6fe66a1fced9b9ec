using System.Collections.Concurrent;
using Pipeline.Simulator.Live;

namespace Pipeline.Simulator.Faults;

/// <summary>
/// Connection faults at a moment of the caller's choosing (tests), besides the ones the <see cref="FaultSpec"/>
/// schedules at a random time after connect. Knows the open WebSocket connections.
/// </summary>
public sealed class FaultTrigger
{
    private readonly ConcurrentDictionary<SimSocket, byte> _open = new();
    private int _stalls;

    /// <summary>WebSocket connections being served now (all exchanges).</summary>
    public int OpenConnections => _open.Count;

    /// <summary>Connections that went silent so far (scheduled or triggered), counted once nothing more leaves them.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>Open connections of one exchange ("okx", "binance").</summary>
    public int OpenConnectionsOf(string exchange) => _open.Keys.Count(s => s.Exchange == exchange);

    /// <summary>
    /// Applies <paramref name="fault"/> to every open connection (of <paramref name="exchange"/> when given) and
    /// completes once each has applied it: after a <see cref="ConnectionFault.Stall"/> nothing more is sent on
    /// those connections, after a <see cref="ConnectionFault.Disconnect"/> the close frame is sent. Returns how
    /// many connections took the fault (one that ended meanwhile does not count).
    /// </summary>
    public async Task<int> TriggerNowAsync(ConnectionFault fault, string? exchange = null, CancellationToken token = default)
    {
        var applied = await Task.WhenAll(_open.Keys.Where(s => exchange is null || s.Exchange == exchange).Select(s => s.Inject(fault)))
            .WaitAsync(token);
        return applied.Count(x => x);
    }

    internal void Stalled() => Interlocked.Increment(ref _stalls);

    internal void Opened(SimSocket socket) => _open.TryAdd(socket, 0);

    internal void Closed(SimSocket socket) => _open.TryRemove(socket, out _);
}
