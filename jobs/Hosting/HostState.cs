namespace Pipeline.Jobs.Hosting;

/// <summary>state/host/{mode}.json: whether the host runs, when it last beat, and each job's last outcome.</summary>
public sealed record HostState
{
    public required string Mode { get; init; }

    public required int Pid { get; init; }

    /// <summary>running, or stopped after a clean drain.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? BeatAt { get; init; }

    public DateTimeOffset? StoppedAt { get; init; }

    public string? ConfigFile { get; init; }

    /// <summary>Base URL of /health and /metrics (pipeline run; null when health.address is off).</summary>
    public string? Health { get; init; }

    public IReadOnlyDictionary<string, JobRecord> Jobs { get; init; } = new Dictionary<string, JobRecord>();
}
