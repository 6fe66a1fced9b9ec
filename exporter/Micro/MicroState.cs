namespace Pipeline.Exporter.Micro;

/// <summary>
/// state/micro/{exchange}/{kind}/{instId}.json: counters across runs and the last written sequence and event time
/// of one instrument's kind (written after the day files are fsynced; the files stay the truth on start).
/// </summary>
public sealed record MicroState
{
    public long? LastSeq { get; init; }

    /// <summary>Latest event time written (ms): the watermark of this kind.</summary>
    public long WatermarkTs { get; init; }

    public long Lines { get; init; }

    public long Duplicates { get; init; }

    public long Resyncs { get; init; }

    public long Quarantined { get; init; }

    public long UpdatedAt { get; init; }

    /// <summary>running or stopped.</summary>
    public string Status { get; init; } = "running";
}
