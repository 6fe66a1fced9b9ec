using Quartz;

namespace Pipeline.Jobs.Hosting;

/// <summary>Writes the host state file (state/host/{mode}.json): alive-at and each job's last outcome.</summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(HostStateService state) : IJob
{
    public static readonly JobKey Key = new("heartbeat", HostJobs.Group);

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ValueTask(PassJob.RunAsync(context, _ =>
        {
            state.Beat();
            return Task.FromResult(true);
        }, cancellationToken));
    }
}
