namespace Pipeline.Jobs.Config;

/// <summary>Quartz cron expressions (seconds first, e.g. <c>0 * * * * ?</c>) for the host's jobs.</summary>
/// <param name="Calculators">Calculator pass; the signal/executor pass runs after each successful one.</param>
/// <param name="Metadata">Instrument metadata refresh.</param>
/// <param name="Compaction">Parquet compaction of closed days.</param>
/// <param name="Heartbeat">Host heartbeat (state/host/{mode}.json).</param>
/// <param name="AllowFastSchedule">Lifts the 1–5 minute rule for the calculators cron (tests, demos).</param>
/// <param name="DrainTimeout">How long a stop waits for running jobs and exporters.</param>
public sealed record ScheduleConfig(
    string Calculators,
    string Metadata,
    string Compaction,
    string Heartbeat,
    bool AllowFastSchedule,
    TimeSpan DrainTimeout);
