namespace Pipeline.Exporter.Backfill;

/// <summary>
/// state/backfill/{exchange}/{instId}.json: the days already filled (a rerun skips them unless forced).
/// A day is recorded only after its raw file was replaced and synced.
/// </summary>
public sealed record BackfillState
{
    public required string Exchange { get; init; }

    public required string InstId { get; init; }

    /// <summary>Done days by "yyyy-MM-dd".</summary>
    public SortedDictionary<string, BackfillDayRecord> Days { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One filled day: the source, the trades it had, the lines added, when.</summary>
public sealed record BackfillDayRecord(string Source, long Fetched, long Added, DateTimeOffset CompletedAt);
