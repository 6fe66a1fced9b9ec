namespace Pipeline.Simulator;

/// <summary>
/// Simulated event time: start + wall time elapsed × speed, read through a <see cref="TimeProvider"/>.
/// </summary>
public sealed class SimClock
{
    private readonly TimeProvider _time;
    private readonly long _wallStart;

    public SimClock(TimeProvider time, long startMs, double speed)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _time = time;
        _wallStart = time.GetTimestamp();
        StartMs = startMs;
        Speed = speed;
    }

    public long StartMs { get; }

    public double Speed { get; }

    /// <summary>The simulated now in Unix ms: nothing after it has happened yet.</summary>
    public long NowMs => StartMs + (long)(_time.GetElapsedTime(_wallStart).TotalMilliseconds * Speed);

    public TimeProvider Time => _time;
}
