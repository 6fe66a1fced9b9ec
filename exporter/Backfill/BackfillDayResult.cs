namespace Pipeline.Exporter.Backfill;

/// <summary>How one (instrument, day) went.</summary>
public enum BackfillOutcome
{
    /// <summary>Fetched and merged (maybe with nothing new to add).</summary>
    Done,

    /// <summary>Left alone: done in an earlier run, or compacted to Parquet.</summary>
    Skipped,

    /// <summary>Not filled (checksum mismatch, no source, file busy...): the vault is unchanged for that day.</summary>
    Failed,
}

/// <summary>The result of one (instrument, day).</summary>
/// <param name="Source">archive or rest (null when nothing was fetched)</param>
/// <param name="Fetched">trades of that UTC day the source returned</param>
/// <param name="Added">lines added to the raw day (the rest were already there)</param>
/// <param name="Existing">complete lines the day held before</param>
/// <param name="Message">why it was skipped or failed</param>
public sealed record BackfillDayResult(string InstId, DateOnly Day, BackfillOutcome Outcome, string? Source, long Fetched, long Added,
    long Existing, string? Message, TimeSpan Elapsed);
