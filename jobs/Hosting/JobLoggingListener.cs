using Pipeline.Jobs.Logging;
using Quartz;
using Quartz.Extensibility;
using Serilog;
using Serilog.Events;

namespace Pipeline.Jobs.Hosting;

/// <summary>Logs every job's start, end and duration (or failure) and keeps <see cref="JobStats"/>.</summary>
public sealed class JobLoggingListener(JobStats stats) : IJobListener
{
    private static readonly ILogger Logger = Log.ForContext<JobLoggingListener>();

    public string Name => "pipeline-job-log";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.JobDetail.Key.Name;
        stats.Started(job);
        Logger.Write(LevelOf(job), "Job {Job} started", job);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Logger.Warning("Job {Job} vetoed", context.JobDetail.Key.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.JobDetail.Key.Name;
        var duration = context.JobRunTime;
        var durationMs = (long)duration.TotalMilliseconds;
        if (jobException is null)
        {
            stats.Finished(job, duration, "ok", null);
            Logger.Write(LevelOf(job), "Job {Job} finished in {DurationMs} ms", job, durationMs);
        }
        else if (jobException.InnerException is OperationCanceledException)
        {
            stats.Finished(job, duration, "cancelled", null);
            Logger.Warning("Job {Job} cancelled after {DurationMs} ms", job, durationMs);
        }
        else
        {
            var cause = jobException.InnerException ?? jobException;
            stats.Finished(job, duration, "failed", PipelineLogging.Describe(jobException));
            Logger.Error(cause, "Job {Job} failed after {DurationMs} ms: {Error}; it runs again at its next fire time",
                job, durationMs, PipelineLogging.Describe(jobException));
        }

        return ValueTask.CompletedTask;
    }

    // The heartbeat fires every 30 s: its successes are debug detail, its failures still errors.
    private static LogEventLevel LevelOf(string job) =>
        job == HeartbeatJob.Key.Name ? LogEventLevel.Debug : LogEventLevel.Information;

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress,
        CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
