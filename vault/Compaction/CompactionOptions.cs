namespace Pipeline.Vault.Compaction;

/// <summary>Which days a compaction pass may touch.</summary>
public sealed record CompactionOptions
{
    /// <summary>Only days strictly before this one (UTC); today is never compacted anyway.</summary>
    public DateOnly? Before { get; init; }

    /// <summary>Only this exchange (null: every exchange).</summary>
    public string? Exchange { get; init; }

    /// <summary>Only these instruments (empty: every instrument).</summary>
    public IReadOnlyCollection<string> InstIds { get; init; } = [];

    /// <summary>Also compact the calculators' minute outputs (derived/{calc}/…), not only raw trades.</summary>
    public bool IncludeDerived { get; init; } = true;

    /// <summary>
    /// With an exporter state, a day is closed once its watermark is at least the day's end plus this
    /// (the calculators' allowed lateness, default 2 s).
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Readers that may still need a day as JSONL (null: none).</summary>
    public ICompactionGuard? Guard { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
