namespace Pipeline.Calculators.Tests.Contract;

/// <summary>One minute of a test series and its trades (none: a quiet minute, still a bar).</summary>
public sealed record SeriesMinute(long Minute, IReadOnlyList<Fill> Fills);
