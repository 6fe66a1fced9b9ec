namespace Pipeline.Vault.Compaction;

/// <summary>Everything one pass did, day by day.</summary>
public sealed record CompactionReport(IReadOnlyList<DayCompaction> Days, int TempFilesRemoved, TimeSpan Elapsed)
{
    public int Compacted => Days.Count(d => d.Outcome is CompactionOutcome.Compacted or CompactionOutcome.Recovered);

    public int Failed => Days.Count(d => d.Outcome == CompactionOutcome.Failed);

    public long Rows => Days.Where(d => d.Outcome is CompactionOutcome.Compacted or CompactionOutcome.Recovered).Sum(d => d.Rows);

    public long JsonlBytes => Days.Where(d => d.Outcome is CompactionOutcome.Compacted or CompactionOutcome.Recovered).Sum(d => d.JsonlBytes);

    public long ParquetBytes => Days.Where(d => d.Outcome is CompactionOutcome.Compacted or CompactionOutcome.Recovered).Sum(d => d.ParquetBytes);
}
