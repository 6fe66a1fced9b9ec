namespace Pipeline.Jobs.Execution.Live;

/// <summary>What one live pass did.</summary>
public sealed record LivePassResult
{
    public int Minutes { get; init; }
    public long Trades { get; init; }
    public int Entries { get; init; }
    public int Exits { get; init; }
    public int Orders { get; init; }
    public int Fills { get; init; }

    /// <summary>Decisions by action text ("none", "long", "short", "exit_vwap", "exit_time").</summary>
    public IReadOnlyDictionary<string, int> Actions { get; init; } = new Dictionary<string, int>();

    public long? LastMinuteMs { get; init; }
    public bool PositionOpen { get; init; }
    public bool EntryPending { get; init; }
    public long LateTrades { get; init; }
    public int SkippedLines { get; init; }

    /// <summary>The pass stopped at its day limit and more minute files are waiting (call again, or use RunToEnd).</summary>
    public bool MoreAvailable { get; init; }
}
