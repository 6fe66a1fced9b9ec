using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pipeline.Simulator.Archive;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// Binance USD-M REST: /fapi/v1/exchangeInfo, /fapi/v1/aggTrades (fromId inclusive; startTime/endTime
/// inclusive with a span under 1 h; limit default 500, max 1000; rows {a,p,q,nq,f,l,T,m}; -4166 past
/// the search window), /fapi/v1/depth and /fapi/v1/openInterest (the microstructure), /fapi/v1/time, /fapi/v1/ping,
/// and the data.binance.vision-style daily zips.
/// </summary>
public sealed class BinanceRest(SimulatorContext context)
{
    private const long HourMs = 3_600_000;

    public static Task PingAsync(HttpContext http) => HttpReplies.JsonAsync(http, 200, w =>
    {
        w.WriteStartObject();
        w.WriteEndObject();
    });

    public Task TimeAsync(HttpContext http) => HttpReplies.JsonAsync(http, 200, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("serverTime", context.Clock.NowMs);
        w.WriteEndObject();
    });

    public async Task ExchangeInfoAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var now = context.Clock.NowMs;
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("timezone", "UTC");
            w.WriteNumber("serverTime", now);
            w.WriteString("futuresType", "U_MARGINED");
            w.WriteStartArray("rateLimits");
            RateLimit(w, "REQUEST_WEIGHT", "MINUTE", 1, 2400);
            RateLimit(w, "ORDERS", "MINUTE", 1, 1200);
            RateLimit(w, "ORDERS", "SECOND", 10, 300);
            w.WriteEndArray();
            w.WriteStartArray("exchangeFilters");
            w.WriteEndArray();
            w.WriteStartArray("assets");
            w.WriteEndArray();
            w.WriteStartArray("symbols");
            foreach (var m in context.Exchange(SimInstruments.Binance))
            {
                WriteSymbol(w, m.Instrument);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public async Task AggTradesAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var symbol = HttpReplies.Query(http, "symbol");
        if (symbol is null)
        {
            await ErrorAsync(http, 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
            return;
        }

        var market = context.Find(SimInstruments.Binance, symbol);
        if (market is null)
        {
            await ErrorAsync(http, 400, -1121, "Invalid symbol.");
            return;
        }

        var fromId = HttpReplies.QueryNumber(http, "fromId");
        var startTime = HttpReplies.QueryNumber(http, "startTime");
        var endTime = HttpReplies.QueryNumber(http, "endTime");
        var limit = HttpReplies.QueryNumber(http, "limit");
        foreach (var (name, value) in new[] { ("fromId", fromId), ("startTime", startTime), ("endTime", endTime), ("limit", limit) })
        {
            if (!value.Ok)
            {
                await ErrorAsync(http, 400, -1100, $"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.");
                return;
            }
        }

        if (limit.Present && (limit.Value < 1 || limit.Value > 1000))
        {
            await ErrorAsync(http, 400, -1130, "Data sent for parameter 'limit' is not valid.");
            return;
        }

        if (fromId.Present && (startTime.Present || endTime.Present))
        {
            await ErrorAsync(http, 400, -1128, "Combination of optional parameters invalid.");
            return;
        }

        if (startTime.Present && endTime.Present && (endTime.Value < startTime.Value || endTime.Value - startTime.Value >= HourMs))
        {
            await ErrorAsync(http, 400, -1127, "More than 1 hours between startTime and endTime.");
            return;
        }

        var n = limit.Present ? (int)limit.Value : 500;
        var now = context.Clock.NowMs;
        var oldest = context.Options.BinanceAggTradesWindow is { } window ? now - (long)window.TotalMilliseconds : long.MinValue;
        List<SimPrint> rows;
        if (fromId.Present)
        {
            try
            {
                rows = TradeQuery.PrintsFromOrdinal(market, fromId.Value, now, n);
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
            {
                rows = []; // an id outside the simulated history
            }

            if (rows.Count > 0 && rows[0].Ts < oldest)
            {
                await WindowErrorAsync(http);
                return;
            }
        }
        else if (startTime.Present || endTime.Present)
        {
            var from = startTime.Present ? startTime.Value : endTime.Value - HourMs + 1;
            var to = endTime.Present ? endTime.Value : startTime.Value + HourMs - 1;
            if (from < oldest)
            {
                await WindowErrorAsync(http);
                return;
            }

            rows = TradeQuery.PrintsInTime(market, from, Math.Min(to, now), n);
        }
        else
        {
            rows = TradeQuery.LatestPrints(market, now, n);
        }

        var instrument = market.Instrument;
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteNumber("a", row.Ordinal);
                w.WriteString("p", instrument.FormatPrice(row.PriceUnits));
                w.WriteString("q", instrument.FormatSize(row.SizeUnits));
                w.WriteString("nq", instrument.FormatSize(row.SizeUnits));
                w.WriteNumber("f", row.FirstId);
                w.WriteNumber("l", row.LastId);
                w.WriteNumber("T", row.Ts);
                w.WriteBoolean("m", !row.Buy);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>GET {archive}/data/futures/um/daily/aggTrades/{SYMBOL}/{SYMBOL}-aggTrades-{yyyy-MM-dd}.zip[.CHECKSUM]</summary>
    public async Task ArchiveAsync(HttpContext http, string symbol, string file)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(file);
        var checksum = file.EndsWith(".zip.CHECKSUM", StringComparison.Ordinal);
        var zipName = checksum ? file[..^".CHECKSUM".Length] : file;
        var prefix = symbol + "-aggTrades-";
        if (!zipName.StartsWith(prefix, StringComparison.Ordinal) || !zipName.EndsWith(".zip", StringComparison.Ordinal)
            || !DateOnly.TryParseExact(zipName[prefix.Length..^4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || context.Find(SimInstruments.Binance, symbol) is not { } market
            || ArchiveStore.UtcDayRange(day).EndMs - 1 > context.Clock.NowMs)
        {
            http.Response.StatusCode = 404;
            return;
        }

        try
        {
            if (checksum)
            {
                var text = Encoding.ASCII.GetBytes(context.Archives.BinanceChecksum(market, day));
                http.Response.ContentType = "text/plain";
                http.Response.ContentLength = text.Length;
                await http.Response.Body.WriteAsync(text, http.RequestAborted);
                return;
            }

            var path = context.Archives.BinanceZip(market, day);
            await ArchiveStore.SendAsync(http, path, context.Options.CorruptArchiveDays.Contains(day));
        }
        catch (InvalidOperationException)
        {
            http.Response.StatusCode = 404; // before the first trade id
        }
    }

    /// <summary>
    /// <c>GET /fapi/v1/depth?symbol=&amp;limit=</c> (5, 10, 20, 50, 100, 500 or 1000; default 500): the book now with
    /// <c>lastUpdateId</c> (the last update id applied, so the next depthUpdate has U &lt;= lastUpdateId + 1 &lt;= u), E and T;
    /// bids and asks as [price, quantity] strings, best first. A stale-snapshot fault serves an older book.
    /// </summary>
    public async Task DepthAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var market = await MicroMarketAsync(http);
        if (market is null)
        {
            return;
        }

        var limit = HttpReplies.QueryNumber(http, "limit");
        if (!limit.Ok || (limit.Present && limit.Value is not (5 or 10 or 20 or 50 or 100 or 500 or 1000)))
        {
            await ErrorAsync(http, 400, -1130, "Data sent for parameter 'limit' is not valid.");
            return;
        }

        var depth = limit.Present ? (int)limit.Value : 500;
        var i = market.Instrument;
        var book = context.Micro!.DepthSnapshot(i.InstId);
        var now = context.Clock.NowMs;
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("lastUpdateId", book.Seq);
            w.WriteNumber("E", now);
            w.WriteNumber("T", book.Ts);
            Levels(w, "bids", i, book.Bids.Take(depth));
            Levels(w, "asks", i, book.Asks.Take(depth));
            w.WriteEndObject();
        });
    }

    /// <summary><c>GET /fapi/v1/openInterest?symbol=</c>: <c>{"openInterest":"10659.509","symbol":"BTCUSDT","time":ms}</c> (measured each second).</summary>
    public async Task OpenInterestAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var market = await MicroMarketAsync(http);
        if (market is null)
        {
            return;
        }

        var (units, ts) = context.Micro!.OpenInterest(market.Instrument.InstId);
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("openInterest", market.Instrument.FormatSize(units));
            w.WriteString("symbol", market.Instrument.InstId);
            w.WriteNumber("time", ts);
            w.WriteEndObject();
        });
    }

    private async Task<MarketGenerator?> MicroMarketAsync(HttpContext http)
    {
        var symbol = HttpReplies.Query(http, "symbol");
        if (symbol is null)
        {
            await ErrorAsync(http, 400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
            return null;
        }

        var market = context.Micro is null ? null : context.Find(SimInstruments.Binance, symbol);
        if (market is null)
        {
            await ErrorAsync(http, 400, -1121, "Invalid symbol.");
        }

        return market;
    }

    private static void Levels(Utf8JsonWriter w, string name, SimInstrument i, IEnumerable<(long Px, long Sz)> levels)
    {
        w.WriteStartArray(name);
        foreach (var (px, sz) in levels)
        {
            w.WriteStartArray();
            w.WriteStringValue(i.FormatPrice(px));
            w.WriteStringValue(i.FormatSize(sz));
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private async Task<bool> TooManyAsync(HttpContext http)
    {
        if (!context.RestFaults.TooManyRequests())
        {
            return false;
        }

        http.Response.Headers.RetryAfter = "1";
        await ErrorAsync(http, 429, -1003, "Too many requests; current limit of IP is 2400 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.");
        return true;
    }

    private Task WindowErrorAsync(HttpContext http)
    {
        var days = context.Options.BinanceAggTradesWindow?.TotalDays ?? 0;
        return ErrorAsync(http, 400, -4166, $"Search window is restricted to recent {days.ToString("0.##", CultureInfo.InvariantCulture)} days only.");
    }

    private static Task ErrorAsync(HttpContext http, int status, int code, string msg) =>
        HttpReplies.JsonAsync(http, status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("code", code);
            w.WriteString("msg", msg);
            w.WriteEndObject();
        });

    private static void RateLimit(Utf8JsonWriter w, string type, string interval, int num, int limit)
    {
        w.WriteStartObject();
        w.WriteString("rateLimitType", type);
        w.WriteString("interval", interval);
        w.WriteNumber("intervalNum", num);
        w.WriteNumber("limit", limit);
        w.WriteEndObject();
    }

    private static void WriteSymbol(Utf8JsonWriter w, SimInstrument i)
    {
        var tick = i.FormatPrice(i.TickUnits);
        var step = i.FormatSize(i.LotUnits);
        w.WriteStartObject();
        w.WriteString("symbol", i.InstId);
        w.WriteString("pair", i.InstId);
        w.WriteString("contractType", "PERPETUAL");
        w.WriteNumber("deliveryDate", 4133404800000);
        w.WriteNumber("onboardDate", 1569398400000);
        w.WriteString("status", "TRADING");
        w.WriteString("maintMarginPercent", "2.5000");
        w.WriteString("requiredMarginPercent", "5.0000");
        w.WriteString("baseAsset", i.BaseCcy);
        w.WriteString("quoteAsset", i.QuoteCcy);
        w.WriteString("marginAsset", i.SettleCcy);
        w.WriteNumber("pricePrecision", i.PriceScale + 1);
        w.WriteNumber("quantityPrecision", i.SizeScale);
        w.WriteNumber("baseAssetPrecision", 8);
        w.WriteNumber("quotePrecision", 8);
        w.WriteString("underlyingType", "COIN");
        w.WriteStartArray("underlyingSubType");
        w.WriteStringValue("PoW");
        w.WriteEndArray();
        w.WriteNumber("settlePlan", 0);
        w.WriteString("triggerProtect", "0.0500");
        w.WriteString("liquidationFee", "0.012500");
        w.WriteString("marketTakeBound", "0.05");
        w.WriteNumber("maxMoveOrderLimit", 10000);
        w.WriteStartArray("filters");
        w.WriteStartObject();
        w.WriteString("filterType", "PRICE_FILTER");
        w.WriteString("minPrice", tick);
        w.WriteString("maxPrice", "4529764");
        w.WriteString("tickSize", tick);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "LOT_SIZE");
        w.WriteString("stepSize", step);
        w.WriteString("maxQty", "1000");
        w.WriteString("minQty", step);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "MARKET_LOT_SIZE");
        w.WriteString("stepSize", step);
        w.WriteString("maxQty", "120");
        w.WriteString("minQty", step);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "MAX_NUM_ORDERS");
        w.WriteNumber("limit", 200);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "MIN_NOTIONAL");
        w.WriteString("notional", "100");
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("filterType", "PERCENT_PRICE");
        w.WriteString("multiplierUp", "1.0500");
        w.WriteString("multiplierDown", "0.9500");
        w.WriteString("multiplierDecimal", "4");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("orderTypes");
        foreach (var t in new[] { "LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET" })
        {
            w.WriteStringValue(t);
        }

        w.WriteEndArray();
        w.WriteStartArray("timeInForce");
        foreach (var t in new[] { "GTC", "IOC", "FOK", "GTX", "GTD" })
        {
            w.WriteStringValue(t);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
