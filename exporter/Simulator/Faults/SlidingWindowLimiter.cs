namespace Pipeline.Simulator.Faults;

/// <summary>The exchanges' "N requests per window" rule: a request is refused when N already fell inside the window.</summary>
public sealed class SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<long> _accepted = new();
    private readonly object _gate = new();

    public bool TryAcquire()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            while (_accepted.Count > 0 && time.GetElapsedTime(_accepted.Peek(), now) >= window)
            {
                _accepted.Dequeue();
            }

            if (_accepted.Count >= limit)
            {
                return false;
            }

            _accepted.Enqueue(now);
            return true;
        }
    }
}
