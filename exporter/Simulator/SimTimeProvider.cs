namespace Pipeline.Simulator;

/// <summary>
/// The simulator's event time as a clock for an exporter that records it: <see cref="GetUtcNow"/> is the
/// simulated now (so <c>recvTs</c> and the quiet-instrument watermark live in the market's time, however fast
/// it runs), while timestamps, delays and timers stay those of the underlying provider (pings, timeouts and
/// backoff keep their real length).
/// </summary>
public sealed class SimTimeProvider(SimClock clock) : TimeProvider
{
    private readonly TimeProvider _inner = clock?.Time ?? throw new ArgumentNullException(nameof(clock));

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(clock.NowMs);

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
