using Microsoft.Extensions.DependencyInjection;
using Pipeline.Jobs.Config;
using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>The Quartz schedule: which jobs exist, their cron triggers (UTC), and the signal chain.</summary>
public static class HostJobs
{
    public const string Group = "pipeline";

    /// <summary>
    /// Adds the jobs whose pass is registered in <paramref name="services"/>; a pass that is missing
    /// is reported (its job is simply not scheduled) so a partial build still runs honestly.
    /// </summary>
    public static IReadOnlyList<string> Configure(IQuartzBuilder quartz, IServiceCollection services, ScheduleConfig schedule)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(schedule);
        var scheduled = new List<string>();
        quartz.AddJobListener(sp => new JobLoggingListener(sp.GetRequiredService<JobStats>()), [GroupMatcher<JobKey>.AnyGroup()]);

        Cron<HeartbeatJob>(quartz, HeartbeatJob.Key, schedule.Heartbeat);
        scheduled.Add(HeartbeatJob.Key.Name);

        if (Has<ICalculatorPass>(services))
        {
            Cron<CalculatorsJob>(quartz, CalculatorsJob.Key, schedule.Calculators);
            scheduled.Add(CalculatorsJob.Key.Name);
            if (Has<ISignalPass>(services))
            {
                // No trigger: CalculatorsJob fires it after each successful pass.
                quartz.AddJob<SignalJob>(j => j.WithIdentity(SignalJob.Key).StoreDurably());
                scheduled.Add(SignalJob.Key.Name);
            }
            else
            {
                NotWired(SignalJob.Key, nameof(ISignalPass));
            }
        }
        else
        {
            NotWired(CalculatorsJob.Key, nameof(ICalculatorPass));
            if (Has<ISignalPass>(services))
            {
                Log.Warning("Job {Job} not scheduled: it runs after the calculators job, which is not wired", SignalJob.Key.Name);
            }
        }

        if (Has<IInstrumentMetadataRefresh>(services))
        {
            Cron<MetadataJob>(quartz, MetadataJob.Key, schedule.Metadata);
            scheduled.Add(MetadataJob.Key.Name);
        }
        else
        {
            NotWired(MetadataJob.Key, nameof(IInstrumentMetadataRefresh));
        }

        if (Has<ICompactionPass>(services))
        {
            Cron<CompactionJob>(quartz, CompactionJob.Key, schedule.Compaction);
            scheduled.Add(CompactionJob.Key.Name);
        }
        else
        {
            NotWired(CompactionJob.Key, nameof(ICompactionPass));
        }

        return scheduled;
    }

    private static void Cron<TJob>(IQuartzBuilder quartz, JobKey key, string cron)
        where TJob : IJob
    {
        quartz.AddJob<TJob>(j => j.WithIdentity(key));
        quartz.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(key.Name + "-cron", Group)
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc)));
    }

    private static bool Has<T>(IServiceCollection services) => services.Any(d => d.ServiceType == typeof(T));

    private static void NotWired(JobKey job, string service) =>
        Log.Warning("Job {Job} not scheduled: no {Service} is registered in this build (HostComposition.AddPipelineServices)", job.Name, service);
}
