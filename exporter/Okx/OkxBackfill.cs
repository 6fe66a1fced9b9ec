using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Venues;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX whole UTC days: from the two UTC+8 archive files that overlap the day (file D from D 00:00 UTC,
/// file D+1 up to D+1 00:00 UTC), or from history-trades.
/// </summary>
public sealed class OkxBackfill(OkxArchive archive, OkxHistoryDay history) : IVenueBackfill
{
    private (string InstId, DateOnly Date, List<TradeItem> Trades)? _lastFile;

    public async Task<List<TradeItem>> ArchiveDayAsync(string instId, DateOnly day, long recvTs, CancellationToken token)
    {
        var start = TradeTime.DayStartMs(day);
        var end = start + TradeTime.MsPerDay;
        var first = await FileAsync(instId, day, recvTs, token);
        var second = await FileAsync(instId, day.AddDays(1), recvTs, token);
        var trades = new List<TradeItem>(first.Count + second.Count);
        foreach (var list in new[] { first, second })
        {
            foreach (var trade in list)
            {
                if (trade.Ts >= start && trade.Ts < end)
                {
                    trades.Add(trade);
                }
            }
        }

        return trades;
    }

    public Task<List<TradeItem>> RestDayAsync(string instId, long startMs, long endMs, Action<int> onPage, CancellationToken token) =>
        history.FetchAsync(instId, startMs, endMs, onPage, token);

    /// <summary>One file, reusing the last one read (file D+1 of day D is file D of day D+1).</summary>
    private async Task<List<TradeItem>> FileAsync(string instId, DateOnly date, long recvTs, CancellationToken token)
    {
        if (_lastFile is { } last && last.InstId == instId && last.Date == date)
        {
            return last.Trades;
        }

        var trades = await archive.FileTradesAsync(instId, date, recvTs, token);
        _lastFile = (instId, date, trades);
        return trades;
    }
}
