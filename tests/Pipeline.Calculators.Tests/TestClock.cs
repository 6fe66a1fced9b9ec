namespace Pipeline.Calculators.Tests;

/// <summary>A clock that says <see cref="Now"/> (the calculators read time only through TimeProvider).</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static TestClock At(long unixMs) => new(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public override DateTimeOffset GetUtcNow() => Now;
}
