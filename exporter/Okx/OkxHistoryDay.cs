using System.Globalization;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// One UTC day of OKX trades from GET /api/v5/market/history-trades (PROTOCOLS 1.9; about 3 months back,
/// 100 rows a page, newest first): the first page is anchored by time (type=2, after = the day's end, so
/// nothing of the day is above it), then pages go back by tradeId (type=1, after = the smallest id seen),
/// which never cuts trades sharing a millisecond, until a trade before the day's start.
/// </summary>
public sealed class OkxHistoryDay(Uri restBase, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time, int maxPages = 1_000_000)
{
    public async Task<List<TradeItem>> FetchAsync(string instId, long startMs, long endMs, Action<int> onPage, CancellationToken token)
    {
        var parser = new OkxFrameParser([instId]);
        var trades = new List<TradeItem>();
        long? afterId = null;
        for (var page = 0; page < maxPages; page++)
        {
            await pacer.WaitAsync(token);
            var query = afterId is { } id
                ? "&type=1&after=" + id.ToString(CultureInfo.InvariantCulture)
                : "&type=2&after=" + endMs.ToString(CultureInfo.InvariantCulture);
            var url = new Uri(restBase, "/api/v5/market/history-trades?instId=" + Uri.EscapeDataString(instId) + query + "&limit=100");
            var body = await rest.GetAsync(url, token);
            var kind = parser.Parse(body, time.GetUtcNow().ToUnixTimeMilliseconds(), TradeSource.Rest);
            if (kind != OkxFrameKind.Trades)
            {
                throw new RestRequestException($"OKX history-trades {url}: {kind} {parser.EventCode} {parser.Error}");
            }

            var rows = parser.Items;
            if (rows.Length == 0)
            {
                throw new BackfillDayException(
                    $"OKX history-trades ends before {DateTimeOffset.FromUnixTimeMilliseconds(startMs):yyyy-MM-dd HH:mm} UTC (it reaches about 3 months back): the day would be incomplete");
            }

            var min = long.MaxValue;
            var reachedStart = false;
            foreach (var row in rows)
            {
                min = Math.Min(min, row.Id);
                if (row.Ts < startMs)
                {
                    reachedStart = true;
                }
                else if (row.Ts < endMs)
                {
                    trades.Add(row);
                }
            }

            onPage(trades.Count);
            if (reachedStart)
            {
                return trades;
            }

            afterId = min;
        }

        throw new BackfillDayException($"OKX history-trades: more than {maxPages} pages for one day");
    }
}
