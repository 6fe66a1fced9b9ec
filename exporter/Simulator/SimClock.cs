namespace Pipeline.Simulator;

/// <summary>
/// Simulated event time, read through a <see cref="TimeProvider"/>: either start + wall time elapsed × speed,
/// or (<see cref="Stepped"/>) a time that stands still until its owner moves it with <see cref="AdvanceTo"/>.
/// </summary>
public sealed class SimClock
{
    private readonly TimeProvider _time;
    private readonly long _wallStart;
    private long _steppedNow;

    public SimClock(TimeProvider time, long startMs, double speed)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _time = time;
        _wallStart = time.GetTimestamp();
        StartMs = startMs;
        Speed = speed;
    }

    private SimClock(TimeProvider time, long startMs)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        StartMs = startMs;
        _steppedNow = startMs;
        IsStepped = true;
    }

    /// <summary>
    /// A clock at <paramref name="startMs"/> that moves only by <see cref="AdvanceTo"/>: a caller that lets its
    /// consumers catch up between steps sees the same event (and receive) times on every run, however busy the machine.
    /// </summary>
    public static SimClock Stepped(TimeProvider time, long startMs) => new(time, startMs);

    public long StartMs { get; }

    /// <summary>Event time per wall time (0 for a stepped clock).</summary>
    public double Speed { get; }

    public bool IsStepped { get; }

    /// <summary>The simulated now in Unix ms: nothing after it has happened yet.</summary>
    public long NowMs => IsStepped
        ? Interlocked.Read(ref _steppedNow)
        : StartMs + (long)(_time.GetElapsedTime(_wallStart).TotalMilliseconds * Speed);

    public TimeProvider Time => _time;

    /// <summary>Moves a stepped clock forward to <paramref name="nowMs"/>.</summary>
    /// <exception cref="InvalidOperationException">the clock runs on wall time</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nowMs"/> is before the current now</exception>
    public void AdvanceTo(long nowMs)
    {
        if (!IsStepped)
        {
            throw new InvalidOperationException("this simulated clock runs on wall time; only a stepped clock is advanced");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(nowMs, Interlocked.Read(ref _steppedNow));
        Interlocked.Exchange(ref _steppedNow, nowMs);
    }
}
