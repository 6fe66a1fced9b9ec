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

    /// <summary>Minutes in the rolling OFI sum (<c>ofiRolling</c>, default 5).</summary>
    public int OfiWindowMinutes { get; init; } = 5;

    /// <summary>Minutes in the robust z-scores' baseline (<c>ofiZ</c>, <c>divergenceZ</c>: rolling median and MAD; default 60).</summary>
    public int RobustZMinutes { get; init; } = 60;

    /// <summary>VPIN bucket size in base units (default 10; set it per instrument, e.g. a day's volume / 50).</summary>
    public decimal VpinBucketVolume { get; init; } = 10m;

    /// <summary>VPIN's number of buckets n (default 50).</summary>
    public int VpinBuckets { get; init; } = 50;

    /// <summary>Book depth band around the mid in basis points (default 10).</summary>
    public decimal DepthBps { get; init; } = 10m;

    /// <summary>Bars in Kyle's λ regression (default 30).</summary>
    public int KyleWindow { get; init; } = 30;

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

        if (OfiWindowMinutes is < 1 or > 1440)
        {
            throw new ArgumentException("OFI window must be 1..1440 minutes");
        }

        if (RobustZMinutes is < 2 or > 1440)
        {
            throw new ArgumentException("robust z window must be 2..1440 minutes");
        }

        if (VpinBucketVolume <= 0 || VpinBuckets is < 1 or > 10_000)
        {
            throw new ArgumentException("VPIN bucket volume must be positive and buckets 1..10000");
        }

        if (DepthBps is <= 0 or > 10_000)
        {
            throw new ArgumentException("depth band must be above 0 and at most 10000 bps");
        }

        if (KyleWindow is < 3 or > 10_000)
        {
            throw new ArgumentException("Kyle window must be 3..10000 bars");
        }

        if (BandMultipliers.Count == 0 || BandMultipliers.Any(m => m <= 0))
        {
            throw new ArgumentException("band multipliers must be positive");
        }
    }
}
