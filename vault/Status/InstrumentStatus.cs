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

    /// <summary>Raw day files that could not be read and are not counted (each also logged as a warning).</summary>
    public IReadOnlyList<DuckDb.DamagedFile> DamagedFiles { get; init; } = [];
    public IReadOnlyList<CalculatorStatus> Calculators { get; init; } = [];
}

/// <summary>A calculator's last emitted minute and its lag behind the exporter watermark.</summary>
public sealed record CalculatorStatus(string Calc, DateTimeOffset? LastMinute, TimeSpan? Lag);
