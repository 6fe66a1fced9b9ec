namespace Pipeline.Jobs.Config;

/// <summary>Calculator settings shared by every instrument.</summary>
/// <param name="Lateness">Minute M is final once the watermark is past M+1m plus this (default 2 s).</param>
/// <param name="SessionHour">UTC hour at which session VWAP/CVD reset (0–23, default 0).</param>
public sealed record CalculationConfig(TimeSpan Lateness, int SessionHour);
