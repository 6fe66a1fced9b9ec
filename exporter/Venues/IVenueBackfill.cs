using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Venues;

/// <summary>One venue's sources of whole closed UTC days, used by <see cref="Backfill.BackfillService"/>.</summary>
public interface IVenueBackfill
{
    /// <summary>The day's trades from the venue's daily archive(s), verified.</summary>
    /// <exception cref="Backfill.ArchiveUnavailableException">no archive for that day (yet)</exception>
    Task<List<TradeItem>> ArchiveDayAsync(string instId, DateOnly day, long recvTs, CancellationToken token);

    /// <summary>The trades with event time in [startMs, endMs) from REST history.</summary>
    Task<List<TradeItem>> RestDayAsync(string instId, long startMs, long endMs, Action<int> onPage, CancellationToken token);
}
