namespace Pipeline.Vault.Compaction;

/// <summary>
/// Says whether a reader still needs a closed day in its JSONL form (a calculator or executor
/// whose byte cursor sits in it, or that has not finished it yet). The vault knows no readers; the
/// jobs supply the guard.
/// </summary>
public interface ICompactionGuard
{
    /// <returns>Why the day must stay JSONL for now, or null when it may be compacted.</returns>
    string? Hold(CompactionCandidate candidate);
}
