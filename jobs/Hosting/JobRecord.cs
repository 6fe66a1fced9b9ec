namespace Pipeline.Jobs.Hosting;

/// <summary>One job's run history in this process, as shown in the host state file.</summary>
public sealed record JobRecord
{
    public long Runs { get; init; }

    public long Failures { get; init; }

    public DateTimeOffset? LastStartedAt { get; init; }

    public DateTimeOffset? LastFinishedAt { get; init; }

    public long? LastDurationMs { get; init; }

    /// <summary>ok, failed or cancelled.</summary>
    public string? LastOutcome { get; init; }

    public string? LastError { get; init; }
}
