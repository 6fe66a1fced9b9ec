using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>Runs the signal/executor pass; it has no trigger of its own (fired by <see cref="CalculatorsJob"/>).</summary>
[DisallowConcurrentExecution]
public sealed class SignalJob(ISignalPass pass) : IJob
{
    public static readonly JobKey Key = new("signal", HostJobs.Group);

    private static readonly ILogger Logger = Log.ForContext<SignalJob>();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await PassJob.RunAsync(context, pass.RunAsync, cancellationToken);
        Logger.Information("Signal: {Strategies} strategies, {Signals} signals, {Orders} orders",
            result.Strategies, result.Signals, result.Orders);
    }
}
