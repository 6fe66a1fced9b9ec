using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pipeline.Simulator.Archive;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Okx;

/// <summary>
/// OKX v5 REST: instruments, recent trades, history trades (type 1 by tradeId, type 2 by ts; newest
/// first; HTTP 429 code 50011 past 20 requests / 2 s), market-data-history (daily archive listing),
/// and the archive zips themselves. Every answer holds only trades with ts &lt;= the simulated now.
/// </summary>
public sealed class OkxRest(SimulatorContext context)
{
    /// <summary>GET /api/v5/public/time: the simulator's clock, epoch ms as a string (clients sync their request timestamps to it).</summary>
    public async Task TimeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var now = context.Clock.NowMs.ToString(CultureInfo.InvariantCulture);
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("code", "0");
            w.WriteString("msg", "");
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("ts", now);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static readonly long HistoryWindowMs = (long)TimeSpan.FromDays(90).TotalMilliseconds;

    public async Task InstrumentsAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var instType = HttpReplies.Query(http, "instType");
        if (instType is null)
        {
            await ErrorAsync(http, 400, "50014", "Parameter instType can not be empty.");
            return;
        }

        var instId = HttpReplies.Query(http, "instId");
        var family = HttpReplies.Query(http, "instFamily") ?? HttpReplies.Query(http, "uly");
        var list = context.Exchange(SimInstruments.Okx)
            .Select(m => m.Instrument)
            .Where(i => instType == "SWAP" && (instId is null || i.InstId == instId) && (family is null || i.Family == family))
            .ToList();
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            Envelope(w);
            foreach (var i in list)
            {
                WriteInstrument(w, i);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public async Task TradesAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var market = await MarketAsync(http);
        if (market is null)
        {
            return;
        }

        var limit = HttpReplies.QueryNumber(http, "limit");
        if (!limit.Ok || (limit.Present && (limit.Value < 1 || limit.Value > 500)))
        {
            await ErrorAsync(http, 400, "51000", "Parameter limit error");
            return;
        }

        var now = context.Clock.NowMs;
        var fills = TradeQuery.FillsNewestFirst(market, long.MaxValue - 1, now, long.MinValue, now - HistoryWindowMs, limit.Present ? (int)limit.Value : 100);
        await WriteFillsAsync(http, market.Instrument, fills);
    }

    public async Task HistoryTradesAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!context.OkxHistoryLimiter.TryAcquire())
        {
            await ErrorAsync(http, 429, "50011", "Too Many Requests");
            return;
        }

        if (await TooManyAsync(http))
        {
            return;
        }

        var market = await MarketAsync(http);
        if (market is null)
        {
            return;
        }

        var type = HttpReplies.Query(http, "type") ?? "1";
        var after = HttpReplies.QueryNumber(http, "after");
        var before = HttpReplies.QueryNumber(http, "before");
        var limit = HttpReplies.QueryNumber(http, "limit");
        if (type is not ("1" or "2"))
        {
            await ErrorAsync(http, 400, "51000", "Parameter type error");
            return;
        }

        if (!after.Ok || !before.Ok)
        {
            await ErrorAsync(http, 400, "51000", after.Ok ? "Parameter before error" : "Parameter after error");
            return;
        }

        if (!limit.Ok || (limit.Present && (limit.Value < 1 || limit.Value > 100)))
        {
            await ErrorAsync(http, 400, "51000", "Parameter limit error");
            return;
        }

        var n = limit.Present ? (int)limit.Value : 100;
        var now = context.Clock.NowMs;
        var minTs = now - HistoryWindowMs;
        List<SimFill> fills;
        try
        {
            fills = History(market, type, after, before, n, now, minTs);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            fills = []; // an id outside the simulated history: nothing there
        }

        await WriteFillsAsync(http, market.Instrument, fills);
    }

    private static List<SimFill> History(MarketGenerator market, string type, (bool Present, bool Ok, long Value) after,
        (bool Present, bool Ok, long Value) before, int n, long now, long minTs)
    {
        List<SimFill> fills;
        if (type == "2")
        {
            // after = ts: trades older than that millisecond; before does not take timestamps.
            var maxTs = after.Present ? Math.Min(after.Value - 1, now) : now;
            fills = TradeQuery.FillsNewestFirst(market, long.MaxValue - 1, maxTs, long.MinValue, minTs, n);
        }
        else if (before.Present && !after.Present)
        {
            // The page just newer than `before`, newest first.
            var upward = TradeQuery.FillsUpward(market, before.Value + 1, now, n);
            upward.Reverse();
            fills = upward;
        }
        else
        {
            var maxId = after.Present ? after.Value - 1 : long.MaxValue - 1;
            var minExclusive = before.Present ? before.Value : long.MinValue;
            fills = TradeQuery.FillsNewestFirst(market, maxId, now, minExclusive, minTs, n);
        }

        return fills;
    }

    /// <summary>GET /api/v5/public/market-data-history (module 1, daily): the archive files of UTC+8 days, newest first.</summary>
    public async Task MarketDataHistoryAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await TooManyAsync(http))
        {
            return;
        }

        var module = HttpReplies.Query(http, "module");
        var instType = HttpReplies.Query(http, "instType");
        var families = HttpReplies.Query(http, "instFamilyList");
        var aggregation = HttpReplies.Query(http, "dateAggrType");
        var begin = HttpReplies.QueryNumber(http, "begin");
        var end = HttpReplies.QueryNumber(http, "end");
        if (module is null || instType is null || aggregation is null || !begin.Present || !end.Present || !begin.Ok || !end.Ok)
        {
            await ErrorAsync(http, 400, "50014", "Parameter module, instType, dateAggrType, begin and end can not be empty.");
            return;
        }

        var firstDay = OkxDate(begin.Value);
        var lastDay = OkxDate(end.Value);
        if (lastDay < firstDay || lastDay.DayNumber - firstDay.DayNumber >= 20)
        {
            await ErrorAsync(http, 400, "51000", "Parameter end error: the range is limited to 20 days for daily data");
            return;
        }

        var wanted = families is null ? [] : families.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var markets = module == "1" && instType == "SWAP" && aggregation == "daily"
            ? context.Exchange(SimInstruments.Okx).Where(m => wanted.Contains("ANY") || wanted.Contains(m.Instrument.Family)).ToList()
            : [];
        var now = context.Clock.NowMs;
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            Envelope(w);
            w.WriteStartObject();
            w.WriteString("dateAggrType", aggregation);
            w.WriteString("instType", instType);
            w.WriteString("module", module);
            w.WriteStartArray("details");
            var total = 0.0;
            for (var day = lastDay; day >= firstDay; day = day.AddDays(-1))
            {
                var (start, stop) = ArchiveStore.OkxDayRange(day);
                if (stop - 1 > now || markets.Count == 0)
                {
                    continue; // not complete yet: no file
                }

                w.WriteStartObject();
                w.WriteString("dataTs", start.ToString(CultureInfo.InvariantCulture));
                w.WriteStartArray("groupDetails");
                foreach (var m in markets)
                {
                    var size = EstimateMb(m);
                    total += size;
                    w.WriteStartObject();
                    w.WriteString("dataTs", start.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("dateTs", start.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("filename", ArchiveStore.OkxFileName(m.Instrument.InstId, day));
                    w.WriteString("instFamily", m.Instrument.Family);
                    w.WriteString("instId", m.Instrument.InstId);
                    w.WriteString("sizeMB", size.ToString("0.00", CultureInfo.InvariantCulture));
                    w.WriteString("url", context.ArchiveUrl + ArchiveStore.OkxRelativeUrl(m.Instrument.InstId, day));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("totalSizeMB", total.ToString("0.00", CultureInfo.InvariantCulture));
            w.WriteString("ts", now.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>GET {archive}/cdn/okex/traderecords/trades/daily/{yyyyMMdd}/{instId}-trades-{yyyy-MM-dd}.zip</summary>
    public async Task ArchiveAsync(HttpContext http, string folder, string file)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(file);
        const string marker = "-trades-";
        var at = file.LastIndexOf(marker, StringComparison.Ordinal);
        if (at <= 0 || !file.EndsWith(".zip", StringComparison.Ordinal)
            || !DateOnly.TryParseExact(file[(at + marker.Length)..^4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || folder != day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            || context.Find(SimInstruments.Okx, file[..at]) is not { } market
            || ArchiveStore.OkxDayRange(day).EndMs - 1 > context.Clock.NowMs)
        {
            http.Response.StatusCode = 404;
            return;
        }

        string path;
        try
        {
            path = context.Archives.OkxZip(market, day);
        }
        catch (InvalidOperationException)
        {
            http.Response.StatusCode = 404; // before the first trade id
            return;
        }

        await ArchiveStore.SendAsync(http, path, context.Options.CorruptArchiveDays.Contains(day));
    }

    public static DateOnly OkxDate(long ms) => Pipeline.Vault.Trades.TradeTime.Day(ms - ArchiveStore.OkxDayOffsetMs);

    private static double EstimateMb(MarketGenerator m) => m.FillsPerSecond * 86_400 * 9 / 1_000_000.0;

    private async Task<MarketGenerator?> MarketAsync(HttpContext http)
    {
        var instId = HttpReplies.Query(http, "instId");
        if (instId is null)
        {
            await ErrorAsync(http, 400, "50014", "Parameter instId can not be empty.");
            return null;
        }

        var market = context.Find(SimInstruments.Okx, instId);
        if (market is null)
        {
            await ErrorAsync(http, 400, "51001", "Instrument ID or Spread ID doesn't exist.");
        }

        return market;
    }

    private async Task<bool> TooManyAsync(HttpContext http)
    {
        if (!context.RestFaults.TooManyRequests())
        {
            return false;
        }

        await ErrorAsync(http, 429, "50011", "Too Many Requests");
        return true;
    }

    private static Task WriteFillsAsync(HttpContext http, SimInstrument instrument, List<SimFill> fills) =>
        HttpReplies.JsonAsync(http, 200, w =>
        {
            Envelope(w);
            foreach (var fill in fills)
            {
                w.WriteStartObject();
                w.WriteString("instId", instrument.InstId);
                w.WriteString("side", fill.Buy ? "buy" : "sell");
                w.WriteString("sz", instrument.FormatSize(fill.SizeUnits));
                w.WriteString("px", instrument.FormatPrice(fill.PriceUnits));
                w.WriteString("source", "0");
                w.WriteString("tradeId", fill.Id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("ts", fill.Ts.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void Envelope(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("code", "0");
        w.WriteString("msg", "");
        w.WriteStartArray("data");
    }

    private static Task ErrorAsync(HttpContext http, int status, string code, string msg) =>
        HttpReplies.JsonAsync(http, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("code", code);
            w.WriteString("msg", msg);
            w.WriteStartArray("data");
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteInstrument(Utf8JsonWriter w, SimInstrument i)
    {
        var tick = i.FormatPrice(i.TickUnits);
        var lot = SimNumber.Format(i.LotUnits, i.SizeScale, trim: true);
        w.WriteStartObject();
        w.WriteString("alias", "");
        w.WriteString("auctionEndTime", "");
        w.WriteString("baseCcy", "");
        w.WriteString("category", "1");
        w.WriteString("contTdSwTime", "");
        w.WriteString("ctMult", i.CtMult);
        w.WriteString("ctType", i.CtType);
        w.WriteString("ctVal", i.CtVal);
        w.WriteString("ctValCcy", i.CtValCcy);
        w.WriteString("expTime", "");
        w.WriteBoolean("futureSettlement", false);
        w.WriteString("instFamily", i.Family);
        w.WriteString("instId", i.InstId);
        w.WriteNumber("instIdCode", (long)(SimHash.Key(i.InstId) % 100_000));
        w.WriteString("instType", "SWAP");
        w.WriteString("lever", "100");
        w.WriteString("listTime", "1573557408000");
        w.WriteString("lotSz", lot);
        w.WriteString("maxIcebergSz", "100000000.0000000000000000");
        w.WriteString("maxLmtAmt", "20000000");
        w.WriteString("maxLmtSz", "100000000");
        w.WriteString("maxMktAmt", "");
        w.WriteString("maxMktSz", "12000");
        w.WriteString("maxStopSz", "12000");
        w.WriteString("maxTriggerSz", "100000000.0000000000000000");
        w.WriteString("maxTwapSz", "100000000.0000000000000000");
        w.WriteString("minSz", lot);
        w.WriteString("openType", "");
        w.WriteString("optType", "");
        w.WriteString("quoteCcy", "");
        w.WriteString("ruleType", "normal");
        w.WriteString("settleCcy", i.SettleCcy);
        w.WriteString("state", "live");
        w.WriteString("stk", "");
        w.WriteString("tickSz", tick);
        w.WriteStartArray("tradeQuoteCcyList");
        w.WriteEndArray();
        w.WriteString("uly", i.Family);
        w.WriteStartArray("upcChg");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
