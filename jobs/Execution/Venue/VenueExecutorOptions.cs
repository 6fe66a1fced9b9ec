namespace Pipeline.Jobs.Execution.Venue;

/// <summary>How a <see cref="VenueExecutor"/> paces itself (wall time only; decisions use event time).</summary>
public sealed record VenueExecutorOptions
{
    /// <summary>Wall time between steps of <see cref="VenueExecutor.RunAsync"/>.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A reconciliation with the venue this often even without a stream gap (orders, fills, position).</summary>
    public TimeSpan ReconcileEvery { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// First start only (no state yet): decide minutes from this one on (Unix ms of a minute start) and read raw trades
    /// from it. Default: the minute of the newest raw trade of the instrument on disk (event time now), so a new live
    /// strategy never trades on history; with no raw trade yet, from the first one recorded.
    /// </summary>
    public long? StartMinuteMs { get; init; }

    /// <summary>
    /// Skip an entry decided after the tape already runs past its time-to-live from the minute's end (catching up after a
    /// restart or a backlog: a post-only at an old close is no longer the strategy's decision). False only for a replay
    /// through a venue that reads a whole recorded tape in one step, as the paper cross-check does.
    /// </summary>
    public bool SkipStaleEntries { get; init; } = true;
}
