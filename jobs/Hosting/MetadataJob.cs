using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>Refreshes instrument metadata (hourly by default).</summary>
[DisallowConcurrentExecution]
public sealed class MetadataJob(IInstrumentMetadataRefresh refresh) : IJob
{
    public static readonly JobKey Key = new("metadata", HostJobs.Group);

    private static readonly ILogger Logger = Log.ForContext<MetadataJob>();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await PassJob.RunAsync(context, refresh.RunAsync, cancellationToken);
        Logger.Information("Metadata: {Instruments} instruments from {Exchanges} exchanges", result.Instruments, result.Exchanges);
    }
}
