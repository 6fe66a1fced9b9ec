namespace Pipeline.Jobs.Config;

/// <summary>A value given on the command line for one key, e.g. <c>--calc-cron</c> for schedule.calculators.</summary>
/// <param name="Key">A key of <see cref="ConfigKeys"/>.</param>
/// <param name="Value">The text as typed (lists comma-separated).</param>
/// <param name="Flag">The flag, for messages.</param>
public sealed record ConfigOverride(string Key, string Value, string Flag);
