namespace Pipeline.Exporter.Backfill;

/// <summary>Everything one backfill run did, per (instrument, day).</summary>
public sealed record BackfillReport(string Exchange, IReadOnlyList<BackfillDayResult> Days, TimeSpan Elapsed)
{
    public IEnumerable<BackfillDayResult> Failed => Days.Where(d => d.Outcome == BackfillOutcome.Failed);

    public long Fetched => Days.Sum(d => d.Fetched);

    public long Added => Days.Sum(d => d.Added);

    /// <summary>Trades fetched per second of the run.</summary>
    public double TradesPerSecond => Elapsed.TotalSeconds > 0 ? Fetched / Elapsed.TotalSeconds : 0;

    /// <summary>The first day whose raw file changed, per instrument (recalculate from there).</summary>
    public IReadOnlyDictionary<string, DateOnly> FirstTouchedDay =>
        Days.Where(d => d.Outcome == BackfillOutcome.Done && d.Added > 0)
            .GroupBy(d => d.InstId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(d => d.Day), StringComparer.Ordinal);
}
