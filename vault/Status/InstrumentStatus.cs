using Pipeline.Vault.State;

namespace Pipeline.Vault.Status;

/// <summary>What the vault holds for one instrument, and how far each calculator has got.</summary>
public sealed record InstrumentStatus
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public int Days { get; init; }
    public int ParquetDays { get; init; }
    public DateOnly? FirstDay { get; init; }
    public DateOnly? LastDay { get; init; }

    /// <summary>Trades in the raw days: lines of the JSONL days plus rows of the Parquet days.</summary>
    public long Lines { get; init; }

    public long? FirstTradeTs { get; init; }
    public long? LastTradeTs { get; init; }
    public ExporterState? Exporter { get; init; }

    /// <summary>Why the exporter state could not be read (corrupt or unreadable), else null.</summary>
    public string? ExporterStateError { get; init; }

    /// <summary>Holes the exporter could not prove filled (from its state); any one makes the instrument unhealthy.</summary>
    public IReadOnlyList<KnownGap> KnownGaps => Exporter?.KnownGaps ?? [];

    /// <summary>
    /// False while the exporter reports known gaps, its state cannot be read or a raw day file is damaged: status never shows such an
    /// instrument as healthy. True says only that nothing known is wrong, not that every trade was checked (verify does that).
    /// </summary>
    public bool Healthy => KnownGaps.Count == 0 && ExporterStateError is null && DamagedFiles.Count == 0;

    /// <summary>Raw day files that could not be read and are not counted (each also logged as a warning).</summary>
    public IReadOnlyList<DuckDb.DamagedFile> DamagedFiles { get; init; } = [];
    public IReadOnlyList<CalculatorStatus> Calculators { get; init; } = [];
}

/// <summary>A calculator's last emitted minute and its lag behind the exporter watermark.</summary>
public sealed record CalculatorStatus(string Calc, DateTimeOffset? LastMinute, TimeSpan? Lag);
