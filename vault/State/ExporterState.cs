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

    /// <summary>
    /// Holes in the id sequence (or outages before any id was known) that could not be proven filled
    /// from REST. Kept until filled; reported by <c>status</c> and <c>verify</c>, which never say
    /// "clean" while one is listed.
    /// </summary>
    public IReadOnlyList<KnownGap> KnownGaps { get; init; } = [];

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

/// <summary>
/// A stretch of trades the exporter knows it may be missing. Ids are exclusive bounds as the exchange
/// spells them (null when unknown, e.g. an outage before the instrument's first recorded trade);
/// times are event-time bounds in ms.
/// </summary>
public sealed record KnownGap
{
    public string? AfterTradeId { get; init; }
    public string? BeforeTradeId { get; init; }
    public long FromTs { get; init; }
    public long ToTs { get; init; }
    public required string Reason { get; init; }

    /// <summary>Local time (ms) when the gap was recorded.</summary>
    public long DetectedAt { get; init; }
}
