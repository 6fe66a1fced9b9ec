using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Testing.Time;

/// <summary>
/// The one fake clock of the tests: a <see cref="FakeTimeProvider"/> set to a chosen instant that moves only when
/// the test moves it (<c>Advance</c>, <c>SetUtcNow</c>); product code reads time only through TimeProvider.
/// </summary>
public static class TestClock
{
    /// <summary>A fake clock standing at FakeTimeProvider's default instant (2000-01-01), for tests that only measure elapsed time.</summary>
    public static FakeTimeProvider Create() => new();

    /// <summary>A fake clock standing at <paramref name="now"/>.</summary>
    public static FakeTimeProvider At(DateTimeOffset now) => new(now);

    /// <summary>A fake clock standing at <paramref name="unixMs"/> (Unix milliseconds, UTC).</summary>
    public static FakeTimeProvider At(long unixMs) => new(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    /// <summary>A fake clock standing at <paramref name="time"/> (UTC) on <paramref name="day"/>.</summary>
    public static FakeTimeProvider At(DateOnly day, TimeOnly time) => new(new DateTimeOffset(day.ToDateTime(time), TimeSpan.Zero));
}
