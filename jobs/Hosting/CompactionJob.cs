using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>Compacts closed days to Parquet (daily by default).</summary>
[DisallowConcurrentExecution]
public sealed class CompactionJob(ICompactionPass pass) : IJob
{
    public static readonly JobKey Key = new("compaction", HostJobs.Group);

    private static readonly ILogger Logger = Log.ForContext<CompactionJob>();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await PassJob.RunAsync(context, pass.RunAsync, cancellationToken);
        Logger.Information("Compaction: {Days} days, {Rows} rows", result.DaysCompacted, result.Rows);
    }
}
