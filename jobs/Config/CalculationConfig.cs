using Pipeline.Calculators.Runner;

namespace Pipeline.Jobs.Config;

/// <summary>Calculator settings shared by every instrument (the <c>calculators</c> section; <c>calc</c>'s flags of the same names).</summary>
/// <param name="Lateness">Minute M is final once the watermark is past M+1m plus this (default 2 s).</param>
/// <param name="SessionHour">UTC hour at which session VWAP/CVD reset (0–23, default 0).</param>
public sealed record CalculationConfig(TimeSpan Lateness, int SessionHour)
{
    private static readonly CalcOptions Default = new();

    /// <summary>ADX/DI/ATR period (<c>calculators.adxPeriod</c>).</summary>
    public int AdxPeriod { get; init; } = Default.AdxPeriod;

    /// <summary>Band multipliers of sigma (<c>calculators.bands</c>).</summary>
    public IReadOnlyList<decimal> Bands { get; init; } = Default.BandMultipliers;

    /// <summary>Minutes in the rolling OFI sum (<c>calculators.ofiWindowMinutes</c>).</summary>
    public int OfiWindowMinutes { get; init; } = Default.OfiWindowMinutes;

    /// <summary>Minutes of the robust z-scores' median/MAD baseline (<c>calculators.zWindowMinutes</c>).</summary>
    public int ZWindowMinutes { get; init; } = Default.RobustZMinutes;

    /// <summary>VPIN bucket size in base units (<c>calculators.vpinBucket</c>).</summary>
    public decimal VpinBucket { get; init; } = Default.VpinBucketVolume;

    /// <summary>Buckets in VPIN's window (<c>calculators.vpinBuckets</c>).</summary>
    public int VpinBuckets { get; init; } = Default.VpinBuckets;

    /// <summary>Book depth band around the mid in bps (<c>calculators.depthBps</c>).</summary>
    public decimal DepthBps { get; init; } = Default.DepthBps;

    /// <summary>Bars in Kyle's λ regression (<c>calculators.kyleWindow</c>).</summary>
    public int KyleWindow { get; init; } = Default.KyleWindow;

    /// <summary>The calculators' options for these settings.</summary>
    public CalcOptions ToOptions(TimeProvider time) => new()
    {
        AllowedLateness = Lateness,
        SessionResetHour = SessionHour,
        AdxPeriod = AdxPeriod,
        BandMultipliers = Bands,
        OfiWindowMinutes = OfiWindowMinutes,
        RobustZMinutes = ZWindowMinutes,
        VpinBucketVolume = VpinBucket,
        VpinBuckets = VpinBuckets,
        DepthBps = DepthBps,
        KyleWindow = KyleWindow,
        Time = time,
    };

    /// <summary>Value equality, the band list compared item by item.</summary>
    public bool Equals(CalculationConfig? other) =>
        other is not null && Lateness == other.Lateness && SessionHour == other.SessionHour && AdxPeriod == other.AdxPeriod
        && Bands.SequenceEqual(other.Bands) && OfiWindowMinutes == other.OfiWindowMinutes && ZWindowMinutes == other.ZWindowMinutes && VpinBucket == other.VpinBucket
        && VpinBuckets == other.VpinBuckets && DepthBps == other.DepthBps && KyleWindow == other.KyleWindow;

    public override int GetHashCode() => HashCode.Combine(Lateness, SessionHour, AdxPeriod, Bands.Count, OfiWindowMinutes, VpinBucket, VpinBuckets, HashCode.Combine(DepthBps, KyleWindow, ZWindowMinutes));
}
