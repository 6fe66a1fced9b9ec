using System.Globalization;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// One UTC day of Binance aggTrades from GET /fapi/v1/aggTrades (PROTOCOLS 2.4; only about 1–2 days
/// back, older is -4166): startTime/endTime windows under one hour find the day's first aggregate id,
/// then fromId pages (1000 rows, inclusive) run forward to the day's end.
/// </summary>
public sealed class BinanceAggTradesDay(Uri restBase, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time)
{
    private const int Limit = 1000;
    private const long WindowMs = 3_600_000 - 1;

    public async Task<List<TradeItem>> FetchAsync(string symbol, long startMs, long endMs, Action<int> onPage, CancellationToken token)
    {
        var parser = new BinanceFrameParser([symbol]);
        var trades = new List<TradeItem>();
        long? fromId = null;
        for (var from = startMs; fromId is null && from < endMs; from += WindowMs + 1)
        {
            var to = Math.Min(from + WindowMs, endMs - 1);
            var (count, _, last) = await PageAsync(parser, symbol,
                string.Create(CultureInfo.InvariantCulture, $"&startTime={from}&endTime={to}"), startMs, endMs, trades, token);
            onPage(trades.Count);
            if (count > 0)
            {
                fromId = last + 1;
            }
        }

        while (fromId is { } id)
        {
            var (count, beyond, last) = await PageAsync(parser, symbol, "&fromId=" + id.ToString(CultureInfo.InvariantCulture),
                startMs, endMs, trades, token);
            onPage(trades.Count);
            fromId = count < Limit || beyond ? null : last + 1;
        }

        return trades;
    }

    private async Task<(int Count, bool Beyond, long Last)> PageAsync(BinanceFrameParser parser, string symbol, string query,
        long startMs, long endMs, List<TradeItem> trades, CancellationToken token)
    {
        await pacer.WaitAsync(token);
        var url = new Uri(restBase, "/fapi/v1/aggTrades?symbol=" + Uri.EscapeDataString(symbol) + query + "&limit=" + Limit.ToString(CultureInfo.InvariantCulture));
        byte[] body;
        try
        {
            body = await rest.GetAsync(url, token);
        }
        catch (RestRequestException ex) when (ex.Message.Contains("-4166", StringComparison.Ordinal))
        {
            throw new BackfillDayException("Binance aggTrades REST reaches only about 2 days back (-4166); older days come from the archive", ex);
        }

        var kind = parser.ParseRestPage(body, 0, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (kind != BinanceFrameKind.Trades)
        {
            throw new RestRequestException($"Binance aggTrades {url}: {kind} {parser.Error}");
        }

        var beyond = false;
        var last = -1L;
        foreach (var row in parser.Items)
        {
            last = Math.Max(last, row.Id);
            if (row.Ts >= endMs)
            {
                beyond = true;
            }
            else if (row.Ts >= startMs)
            {
                trades.Add(row);
            }
        }

        return (parser.Count, beyond, last);
    }
}
