namespace Pipeline.Calculators.Runner;

/// <summary>Settings of the calculators. Changing one changes outputs: run recalc afterwards.</summary>
public sealed record CalcOptions
{
    /// <summary>How far past M+1m the watermark must be before minute M is final (default 2 s).</summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>UTC hour at which sessions (vwapSession, cvdSession, bands session) reset (default 0).</summary>
    public int SessionResetHour { get; init; }

    /// <summary>ADX/DI/ATR period (default 14).</summary>
    public int AdxPeriod { get; init; } = 14;

    /// <summary>Band multipliers of sigma (default 1 and 2).</summary>
    public IReadOnlyList<decimal> BandMultipliers { get; init; } = [1m, 2m];

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (AllowedLateness < TimeSpan.Zero)
        {
            throw new ArgumentException("allowed lateness must not be negative");
        }

        if (SessionResetHour is < 0 or > 23)
        {
            throw new ArgumentException("session reset hour must be 0..23");
        }

        if (AdxPeriod is < 2 or > 1000)
        {
            throw new ArgumentException("ADX period must be 2..1000");
        }

        if (BandMultipliers.Count == 0 || BandMultipliers.Any(m => m <= 0))
        {
            throw new ArgumentException("band multipliers must be positive");
        }
    }
}
