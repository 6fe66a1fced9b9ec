namespace Pipeline.Vault.State;

/// <summary>
/// state/exporter/{exchange}/{instId}.json: what the exporter has recorded for one instrument.
/// Written by the exporter (at least every second while running); read by the calculators
/// (the watermark decides finality), by status and on the exporter's own restart.
/// </summary>
public sealed record ExporterState
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }

    /// <summary>Highest trade id written (as the exchange spells it; ids compare numerically).</summary>
    public string? LastTradeId { get; init; }

    /// <summary>Event time (ms) of the trade with <see cref="LastTradeId"/>.</summary>
    public long? LastTs { get; init; }

    /// <summary>
    /// Event time (ms) up to which the raw files are known complete: every trade with ts below it
    /// that the exchange published is on disk (synced). Calculators finalise minutes against it.
    /// </summary>
    public long WatermarkTs { get; init; }

    /// <summary>connected, reconnecting, stopped.</summary>
    public string Connection { get; init; } = "stopped";

    public ExporterCounters Counters { get; init; } = new();

    /// <summary>Local time (ms) of this write.</summary>
    public long UpdatedAt { get; init; }
}

/// <summary>Cumulative counters since the state file was created.</summary>
public sealed record ExporterCounters
{
    public long Trades { get; init; }
    public long DuplicatesDropped { get; init; }
    public long GapFilled { get; init; }
    public long Reconnects { get; init; }
    public long Quarantined { get; init; }
}
