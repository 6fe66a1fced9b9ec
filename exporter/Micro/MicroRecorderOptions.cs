namespace Pipeline.Exporter.Micro;

/// <summary>Bounds of the microstructure recorder (defaults fit a busy perpetual swap).</summary>
public sealed record MicroRecorderOptions
{
    /// <summary>How far an event time may lie from its receive time before the record is quarantined.</summary>
    public TimeSpan MaxEventTimeSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Book lines held per instrument while a snapshot is fetched; more means resync (the snapshot is too slow).</summary>
    public int BookBufferLimit { get; init; } = 10_000;

    /// <summary>A requested snapshot that has not come after this long is requested again.</summary>
    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Liquidations and derivatives are deduplicated by key within this much event time.</summary>
    public TimeSpan DedupWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many keys are remembered per instrument and kind (liquidations, derivatives).</summary>
    public int DedupCapacity { get; init; } = 100_000;

    /// <summary>How many bytes of the newest day file are read on start to learn the last sequence and recent keys.</summary>
    public int TailBytes { get; init; } = 1 << 20;
}
