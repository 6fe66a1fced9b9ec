using System.Globalization;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance GET /fapi/v1/aggTrades?symbol=X&amp;fromId=N&amp;limit=1000 (PROTOCOLS 2.4): fromId inclusive,
/// oldest first; pages forward until the upper edge or a short page.
/// </summary>
public sealed class BinanceRestTrades(Uri restBase, IReadOnlyList<string> symbols, ExchangeRestClient rest, RequestPacer pacer,
    TimeProvider time, int maxPages = 20_000) : IRestTradeSource
{
    private const int Limit = 1000;
    private readonly BinanceFrameParser _parser = new(symbols);
    private readonly Lock _parseLock = new();

    /// <summary>aggTrades without fromId or times: the most recent trade.</summary>
    public async Task<(long Id, long Ts)?> LatestAsync(int instrument, CancellationToken token)
    {
        await pacer.WaitAsync(token);
        var url = new Uri(restBase, "/fapi/v1/aggTrades?symbol=" + Uri.EscapeDataString(symbols[instrument]) + "&limit=1");
        var body = await rest.GetAsync(url, token);
        lock (_parseLock)
        {
            var kind = _parser.ParseRestPage(body, instrument, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (kind != BinanceFrameKind.Trades)
            {
                throw new RestRequestException($"Binance aggTrades {EndpointRedaction.Redact(url)}: {kind} {_parser.Error}");
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

    public async Task<bool> FetchAsync(int instrument, long fromExclusive, long? toExclusive,
        Func<IReadOnlyList<TradeItem>, CancellationToken, Task> post, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(post);
        var fromId = fromExclusive + 1;
        for (var page = 0; page < maxPages; page++)
        {
            await pacer.WaitAsync(token);
            var url = new Uri(restBase, "/fapi/v1/aggTrades?symbol=" + Uri.EscapeDataString(symbols[instrument]) +
                "&fromId=" + fromId.ToString(CultureInfo.InvariantCulture) + "&limit=" + Limit.ToString(CultureInfo.InvariantCulture));
            var body = await rest.GetAsync(url, token);
            var rows = new List<TradeItem>();
            int count;
            var maxId = -1L;
            lock (_parseLock)
            {
                var kind = _parser.ParseRestPage(body, instrument, time.GetUtcNow().ToUnixTimeMilliseconds());
                if (kind != BinanceFrameKind.Trades)
                {
                    throw new RestRequestException($"Binance aggTrades {EndpointRedaction.Redact(url)}: {kind} {_parser.Error}");
                }

                count = _parser.Count;
                foreach (var item in _parser.Items)
                {
                    maxId = Math.Max(maxId, item.Id);
                    if (item.Id >= fromId && (toExclusive is not { } to || item.Id < to))
                    {
                        rows.Add(item);
                    }
                }
            }

            if (rows.Count > 0)
            {
                rows.Sort((x, y) => x.Id.CompareTo(y.Id));
                await post(rows, token);
            }

            // A short page means the newest trade is reached: every id up to now has been returned.
            if (count < Limit || (toExclusive is { } upper && maxId >= upper - 1))
            {
                return true;
            }

            fromId = Math.Max(fromId, maxId + 1);
        }

        return false;
    }
}
