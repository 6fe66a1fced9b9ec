using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Venues;

namespace Pipeline.Exporter.Binance;

/// <summary>Binance whole UTC days: one checksummed aggTrades archive per day, or aggTrades REST (about 2 days back).</summary>
public sealed class BinanceBackfill(BinanceArchive archive, BinanceAggTradesDay history) : IVenueBackfill
{
    public Task<List<TradeItem>> ArchiveDayAsync(string instId, DateOnly day, long recvTs, CancellationToken token) =>
        archive.DayTradesAsync(instId, day, recvTs, token);

    public Task<List<TradeItem>> RestDayAsync(string instId, long startMs, long endMs, Action<int> onPage, CancellationToken token) =>
        history.FetchAsync(instId, startMs, endMs, onPage, token);
}
