namespace Pipeline.Vault.Verify;

/// <summary>What to verify: exchanges and instruments (null = all on disk), an inclusive ms range, and optional ground truth.</summary>
public sealed record VerifyOptions
{
    public IReadOnlyList<string>? Exchanges { get; init; }

    public IReadOnlyList<string>? InstIds { get; init; }

    /// <summary>Inclusive lower bound on event time (ms); null = no bound.</summary>
    public long? FromTs { get; init; }

    /// <summary>Inclusive upper bound on event time (ms); null = no bound.</summary>
    public long? ToTs { get; init; }

    /// <summary>Ground truth: {dir}/{exchange}/{instId}.jsonl (raw-trade schema) and {dir}/truth.json with startTs/endTs (optional when instrument files exist).</summary>
    public string? TruthDir { get; init; }

    /// <summary>Gap entries listed at most (the count is always complete).</summary>
    public int MaxGapsListed { get; init; } = 100;

    /// <summary>Differing fields listed at most per instrument (the count of differing trades is always complete).</summary>
    public int MaxMismatchesListed { get; init; } = 20;
}
