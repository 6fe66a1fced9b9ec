using System.Globalization;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX GET /api/v5/market/history-trades?instId=X&amp;type=1&amp;after=ID&amp;limit=100 (PROTOCOLS 1.9):
/// newest first, "after" exclusive; pages backwards from the upper edge until an id ≤ the lower edge.
/// </summary>
public sealed class OkxRestTrades(Uri restBase, IReadOnlyList<string> instIds, ExchangeRestClient rest, RequestPacer pacer,
    TimeProvider time, int maxPages = 20_000) : IRestTradeSource
{
    private readonly OkxFrameParser _parser = new(instIds);
    private readonly Lock _parseLock = new();

    /// <summary>history-trades without "after": the first row of the newest page.</summary>
    public async Task<(long Id, long Ts)?> LatestAsync(int instrument, CancellationToken token)
    {
        await pacer.WaitAsync(token);
        var url = new Uri(restBase, "/api/v5/market/history-trades?instId=" + Uri.EscapeDataString(instIds[instrument]) + "&type=1&limit=1");
        var body = await rest.GetAsync(url, token);
        lock (_parseLock)
        {
            var kind = _parser.Parse(body, time.GetUtcNow().ToUnixTimeMilliseconds(), TradeSource.Rest);
            if (kind != OkxFrameKind.Trades)
            {
                throw new RestRequestException($"OKX history-trades {EndpointRedaction.Redact(url)}: {kind} {_parser.EventCode} {_parser.Error}");
            }

            (long Id, long Ts)? newest = null;
            foreach (var item in _parser.Items)
            {
                if (newest is not { } n || item.Id > n.Id)
                {
                    newest = (item.Id, item.Ts);
                }
            }

            return newest;
        }
    }

    /// <summary>
    /// Pages are posted as they arrive (newest first): the recorder keeps them above the hole, so a crash
    /// mid-fill keeps the progress (the next fill only needs what is still missing below them).
    /// </summary>
    public async Task<bool> FetchAsync(int instrument, long fromExclusive, long? toExclusive,
        Func<IReadOnlyList<TradeItem>, CancellationToken, Task> post, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(post);
        var after = toExclusive;
        for (var page = 0; page < maxPages; page++)
        {
            await pacer.WaitAsync(token);
            var url = new Uri(restBase, "/api/v5/market/history-trades?instId=" + Uri.EscapeDataString(instIds[instrument]) +
                "&type=1" + (after is { } a ? "&after=" + a.ToString(CultureInfo.InvariantCulture) : string.Empty) + "&limit=100");
            var body = await rest.GetAsync(url, token);
            var rows = new List<TradeItem>();
            lock (_parseLock)
            {
                var kind = _parser.Parse(body, time.GetUtcNow().ToUnixTimeMilliseconds(), TradeSource.Rest);
                if (kind != OkxFrameKind.Trades)
                {
                    throw new RestRequestException($"OKX history-trades {EndpointRedaction.Redact(url)}: {kind} {_parser.EventCode} {_parser.Error}");
                }

                foreach (var item in _parser.Items)
                {
                    rows.Add(item);
                }
            }

            if (rows.Count == 0)
            {
                break;
            }

            var min = long.MaxValue;
            var keep = new List<TradeItem>(rows.Count);
            foreach (var row in rows)
            {
                min = Math.Min(min, row.Id);
                if (row.Id > fromExclusive && (toExclusive is not { } to || row.Id < to))
                {
                    keep.Add(row);
                }
            }

            keep.Sort((x, y) => x.Id.CompareTo(y.Id));
            await post(keep, token);
            if (min <= fromExclusive + 1)
            {
                return true;
            }

            after = min;
        }

        // Reached the end of the history (or the page limit) without getting down to the lower edge.
        return false;
    }
}
