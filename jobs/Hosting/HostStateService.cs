using Microsoft.Extensions.Hosting;
using Pipeline.Jobs.Config;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// Keeps state/host/{mode}.json: "running" from start, beats from <see cref="HeartbeatJob"/>, and
/// "stopped" once everything registered after it (Quartz, exporters) has drained. Registered first,
/// so the host stops it last.
/// </summary>
public sealed class HostStateService(PipelineConfig config, HostMode mode, JobStats stats, TimeProvider time) : IHostedService
{
    private readonly Lock _gate = new();
    private readonly StateFile<HostState> _file = new(PathFor(config.Vault, mode), Pipeline.Vault.State.StateJson.Options);
    private HostState? _state;

    public static string PathFor(string vault, HostMode mode) =>
        Path.Combine(vault, "state", "host", mode.ToString().ToLowerInvariant() + ".json");

    public string StatePath => _file.Path;

    /// <summary>The health endpoints' base URL once listening (they start first), or null when they are off.</summary>
    public Func<Uri?> HealthUrl { get; init; } = () => null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file.Path)!);
        lock (_gate)
        {
            _state = new HostState
            {
                Mode = mode.ToString().ToLowerInvariant(),
                Pid = Environment.ProcessId,
                Status = "running",
                StartedAt = time.GetUtcNow(),
                ConfigFile = config.SourceFile,
                Health = HealthUrl()?.ToString(),
            };
            _file.Write(_state);
        }

        return Task.CompletedTask;
    }

    public void Beat() => Update(s => s with { BeatAt = time.GetUtcNow() });

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Update(s => s with { Status = "stopped", StoppedAt = time.GetUtcNow() });
        return Task.CompletedTask;
    }

    private void Update(Func<HostState, HostState> change)
    {
        lock (_gate)
        {
            if (_state is null)
            {
                return;
            }

            _state = change(_state) with { Jobs = stats.Snapshot() };
            _file.Write(_state);
        }
    }
}
