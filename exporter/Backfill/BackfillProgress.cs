namespace Pipeline.Exporter.Backfill;

/// <summary>Where a backfill run is: (instrument, day) units done of total, trades fetched so far, the unit at work.</summary>
public readonly record struct BackfillProgress(int DaysDone, int DaysTotal, long Trades, string InstId, DateOnly Day, string Stage);
