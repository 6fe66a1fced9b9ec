namespace Pipeline.Exporter.Tests.Backfill;

/// <summary>
/// The system clock moved to a fixed origin: "now" is <paramref name="origin"/> plus the real time elapsed since
/// construction, so "today" and the archive days relative to it are the same on every run, while timers (the
/// product's retry delays) stay real. Tests on it wait for nothing but the product's own calls.
/// </summary>
internal sealed class FixedStartClock(DateTimeOffset origin) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => origin + System.GetElapsedTime(_started);
}
