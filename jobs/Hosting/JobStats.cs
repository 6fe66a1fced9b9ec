using System.Collections.Concurrent;

namespace Pipeline.Jobs.Hosting;

/// <summary>Per-job counters kept by <see cref="JobLoggingListener"/> and written by the heartbeat.</summary>
public sealed class JobStats(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);

    public void Started(string job)
    {
        var now = time.GetUtcNow();
        _jobs.AddOrUpdate(job, _ => new JobRecord { LastStartedAt = now }, (_, r) => r with { LastStartedAt = now });
    }

    public void Finished(string job, TimeSpan duration, string outcome, string? error)
    {
        var now = time.GetUtcNow();
        var failed = outcome != "ok" ? 1 : 0;
        _jobs.AddOrUpdate(job,
            _ => new JobRecord { Runs = 1, Failures = failed, LastFinishedAt = now, LastDurationMs = (long)duration.TotalMilliseconds, LastOutcome = outcome, LastError = error },
            (_, r) => r with
            {
                Runs = r.Runs + 1,
                Failures = r.Failures + failed,
                LastFinishedAt = now,
                LastDurationMs = (long)duration.TotalMilliseconds,
                LastOutcome = outcome,
                LastError = error,
            });
    }

    public JobRecord? Get(string job) => _jobs.TryGetValue(job, out var record) ? record : null;

    public IReadOnlyDictionary<string, JobRecord> Snapshot() =>
        new SortedDictionary<string, JobRecord>(_jobs, StringComparer.Ordinal);
}
