using System.Collections.Concurrent;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Micro;

namespace Pipeline.Simulator.Faults;

/// <summary>
/// Connection faults at a moment of the caller's choosing (tests), besides the ones the <see cref="FaultSpec"/>
/// schedules at a random time after connect. Knows the open WebSocket connections.
/// </summary>
public sealed class FaultTrigger(MicroFeed? micro = null)
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

    /// <summary>
    /// Applies a book fault to the next book message of <paramref name="instId"/> (for <see cref="BookFault.StaleSnapshot"/>: the next
    /// REST depth request) and completes once it was applied, with what was applied (the seq of the message dropped or altered, or
    /// the stale lastUpdateId served). In a stepped simulator, advance the clock before awaiting.
    /// </summary>
    /// <exception cref="InvalidOperationException">the simulator runs without the microstructure</exception>
    /// <exception cref="ArgumentException">an unknown instrument, or a fault its venue does not have</exception>
    public Task<BookFaultEvent> TriggerNowAsync(BookFault fault, string instId, CancellationToken token = default) =>
        (micro ?? throw new InvalidOperationException("the simulator runs without the microstructure (SimulatorOptions.Micro)"))
            .Arm(fault, instId).WaitAsync(token);

    internal void Stalled() => Interlocked.Increment(ref _stalls);

    internal void Opened(SimSocket socket) => _open.TryAdd(socket, 0);

    internal void Closed(SimSocket socket) => _open.TryRemove(socket, out _);
}
