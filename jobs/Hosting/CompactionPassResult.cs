namespace Pipeline.Jobs.Hosting;

/// <summary>What a compaction pass did.</summary>
public sealed record CompactionPassResult(int DaysCompacted, long Rows);
