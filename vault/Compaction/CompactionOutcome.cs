namespace Pipeline.Vault.Compaction;

/// <summary>What happened to one day file.</summary>
public enum CompactionOutcome
{
    /// <summary>Written to Parquet, verified, renamed into place; the JSONL removed.</summary>
    Compacted,

    /// <summary>A previous run crashed after the rename: the Parquet verified against the JSONL, which was removed.</summary>
    Recovered,

    /// <summary>Left as JSONL for now (not closed, held by a reader, empty, or holding lines that are not records).</summary>
    Skipped,

    /// <summary>Could not be compacted (verification failed, DuckDB error); the JSONL is untouched.</summary>
    Failed,
}
