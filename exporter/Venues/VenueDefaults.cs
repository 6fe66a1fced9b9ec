namespace Pipeline.Exporter.Venues;

/// <summary>
/// One venue's production REST host, pacing and retry defaults (PROTOCOLS.md next to each venue module).
/// Options override them per run (RestInterval, DataSilenceTimeout, MaxRetries ...).
/// </summary>
public sealed record VenueDefaults
{
    /// <summary>Production REST base (instruments, trade history, archive discovery).</summary>
    public required Uri RestBase { get; init; }

    /// <summary>Minimum spacing of REST history requests, under the venue's rate limit.</summary>
    public required TimeSpan RestInterval { get; init; }

    /// <summary>No trade data for this long on a live connection is reported (never a reconnect).</summary>
    public required TimeSpan SilenceTimeout { get; init; }

    /// <summary>First retry delay of REST and archive requests (exponential with jitter from there).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Retries of a REST request at exporter start (few: with REST down, the meta snapshot lets recording begin quickly).</summary>
    public int StartRetries { get; init; } = 2;

    /// <summary>Upper bound of one retry delay at exporter start.</summary>
    public TimeSpan StartMaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a gap-fill REST request (each bounded by the exporter's MaxBackoff).</summary>
    public int FillRetries { get; init; } = 6;

    /// <summary>Retries of a REST request of the hourly metadata refresh.</summary>
    public int RefreshRetries { get; init; } = 8;

    /// <summary>Upper bound of one retry delay of the metadata refresh.</summary>
    public TimeSpan RefreshMaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one REST request.</summary>
    public TimeSpan RestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one archive download (files of hundreds of MB).</summary>
    public TimeSpan ArchiveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>When the venue publishes a day's archive, appended to "no archive" failures.</summary>
    public required string ArchiveDelayHint { get; init; }
}
