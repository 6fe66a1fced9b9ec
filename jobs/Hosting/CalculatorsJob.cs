using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>Runs the calculator pass; after a successful pass it triggers the signal/executor job.</summary>
[DisallowConcurrentExecution]
public sealed class CalculatorsJob(ICalculatorPass pass) : IJob
{
    public static readonly JobKey Key = new("calculators", HostJobs.Group);

    private static readonly ILogger Logger = Log.ForContext<CalculatorsJob>();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await PassJob.RunAsync(context, pass.RunAsync, cancellationToken);
        Logger.Information("Calculators: {Instruments} instruments, {Minutes} minutes written, {Failed} failed",
            result.Instruments, result.Minutes, result.FailedInstruments);
        if (!result.Succeeded)
        {
            throw new JobExecutionException(
                $"calculators: {result.FailedInstruments} of {result.Instruments} instruments failed; signal pass skipped until a clean pass")
            {
                RefireImmediately = false,
            };
        }

        if (await context.Scheduler.Exists(SignalJob.Key, cancellationToken))
        {
            try
            {
                await context.Scheduler.TriggerJob(SignalJob.Key, cancellationToken);
            }
            catch (SchedulerException ex) when (cancellationToken.IsCancellationRequested || ex is not JobExecutionException)
            {
                // The scheduler is shutting down: the calculator outputs are safe, the next run
                // (after restart) triggers the signal pass again.
                Logger.Warning("Signal pass not triggered: {Error}", ex.Message);
            }
        }
    }
}
