namespace Pipeline.Vault.Compaction;

/// <summary>The result for one day file: rows, sizes before and after, and why when not compacted.</summary>
public sealed record DayCompaction(CompactionCandidate Day, CompactionOutcome Outcome, long Rows, long JsonlBytes, long ParquetBytes,
    string? Reason, TimeSpan Elapsed)
{
    /// <summary>The kind of reason of a <see cref="CompactionOutcome.Skipped"/> day (null otherwise).</summary>
    public SkipReason? Skip { get; init; }
}
