using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Simulator.Okx;

/// <summary>
/// OKX's private REST over <see cref="PrivateExchange"/>: <c>POST /api/v5/trade/order</c>,
/// <c>POST /api/v5/trade/cancel-order</c>, <c>GET /api/v5/trade/order</c>, <c>GET /api/v5/trade/orders-pending</c>,
/// <c>GET /api/v5/account/positions</c>, <c>GET /api/v5/trade/fills</c>. Sizes are contracts (the core's OKX quantities); every answer is
/// <c>{"code","msg","data":[...]}</c>, auth errors HTTP 401, per-order errors in <c>sCode</c>/<c>sMsg</c>.
/// </summary>
public sealed partial class OkxPrivateRest(SimulatorContext context)
{
    /// <summary>A request expires 30 s after its timestamp (and is refused as much ahead of the clock).</summary>
    private const long ExpiryMs = 30_000;

    private PrivateExchange Exchange => context.Private!;

    /// <summary>POST /api/v5/trade/order: ordType post_only, market or ioc; sz in contracts; clOrdId.</summary>
    public async Task PlaceAsync(HttpContext http)
    {
        var (account, body) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var p = Fields(body);
        var clOrdId = p.GetValueOrDefault("clOrdId") ?? "";
        if (clOrdId.Length > 0 && !ClientIdPattern().IsMatch(clOrdId))
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter clOrdId error");
            return;
        }

        var instrument = Instrument(p.GetValueOrDefault("instId"));
        if (instrument is null)
        {
            await OrderErrorAsync(http, clOrdId, "51001", "Instrument ID does not exist");
            return;
        }

        if (p.GetValueOrDefault("tdMode") is not ("cross" or "isolated"))
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter tdMode error");
            return;
        }

        var side = p.GetValueOrDefault("side");
        if (side is not ("buy" or "sell"))
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter side error");
            return;
        }

        PrivateOrderType kind;
        switch (p.GetValueOrDefault("ordType"))
        {
            case "post_only":
                kind = PrivateOrderType.PostOnly;
                break;
            case "market":
                kind = PrivateOrderType.Market;
                break;
            case "ioc":
                kind = PrivateOrderType.Ioc;
                break;
            default:
                await OrderErrorAsync(http, clOrdId, "51000", "Parameter ordType error"); // limit, fok, optimal_limit_ioc: not simulated
                return;
        }

        if (!decimal.TryParse(p.GetValueOrDefault("sz"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var sz))
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter sz error");
            return;
        }

        var px = 0m;
        if (kind != PrivateOrderType.Market &&
            !decimal.TryParse(p.GetValueOrDefault("px"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out px))
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter px error");
            return;
        }

        var reduceOnly = string.Equals(p.GetValueOrDefault("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase);
        var request = new PlaceRequest(instrument.InstId, side == "buy" ? PrivateSide.Buy : PrivateSide.Sell, kind, sz, px,
            clOrdId.Length > 0 ? clOrdId : null, reduceOnly);
        var result = Exchange.PlaceOrCancelPostOnly(account, request);
        if (!result.Accepted)
        {
            await RefusedAsync(http, clOrdId, result);
            return;
        }

        if (Exchange.Faults.Take(PrivateFault.AckLost))
        {
            // Placed, but the answer never comes: the connection is cut (OKX documents no "status unknown" code).
            http.Abort();
            return;
        }

        if (await Exchange.Faults.HoldAckAsync(http.RequestAborted))
        {
            http.Abort(); // placed, never answered (ackhold): returning would send an empty 200 when the simulator stops
            return;
        }

        var order = result.Ack!;
        await DataAsync(http, w =>
        {
            w.WriteStartObject();
            w.WriteString("ordId", order.OrderId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("clOrdId", clOrdId);
            w.WriteString("tag", "");
            w.WriteString("ts", order.CreatedMs.ToString(CultureInfo.InvariantCulture));
            w.WriteString("sCode", "0");
            w.WriteString("sMsg", "Order placed");
            w.WriteEndObject();
        });
    }

    /// <summary>POST /api/v5/trade/cancel-order by ordId or clOrdId: sCode 51400 when it is not open (filled, canceled or unknown).</summary>
    public async Task CancelAsync(HttpContext http)
    {
        var (account, body) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var p = Fields(body);
        var clOrdId = p.GetValueOrDefault("clOrdId") ?? "";
        var instrument = Instrument(p.GetValueOrDefault("instId"));
        if (instrument is null)
        {
            await OrderErrorAsync(http, clOrdId, "51001", "Instrument ID does not exist");
            return;
        }

        var (ok, ordId) = OrderId(p);
        if (!ok)
        {
            await OrderErrorAsync(http, clOrdId, "51000", "Parameter ordId error");
            return;
        }

        var (order, canceled) = Exchange.Cancel(account, instrument.InstId, ordId, clOrdId.Length > 0 ? clOrdId : null);
        if (order is null || !canceled)
        {
            await OrderErrorAsync(http, clOrdId, "51400", "Order cancellation failed as the order has been filled, canceled or does not exist");
            return;
        }

        await DataAsync(http, w =>
        {
            w.WriteStartObject();
            w.WriteString("ordId", order.OrderId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("clOrdId", clOrdId);
            w.WriteString("ts", order.UpdatedMs.ToString(CultureInfo.InvariantCulture));
            w.WriteString("sCode", "0");
            w.WriteString("sMsg", "");
            w.WriteEndObject();
        });
    }

    /// <summary>GET /api/v5/trade/order?instId=&amp;ordId=|clOrdId= (open or not): code 51603 when there is none.</summary>
    public async Task QueryAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var p = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var instrument = Instrument(p.GetValueOrDefault("instId"));
        if (instrument is null)
        {
            await ErrorAsync(http, 200, "51001", "Instrument ID does not exist");
            return;
        }

        var (ok, ordId) = OrderId(p);
        var clOrdId = p.GetValueOrDefault("clOrdId");
        if (!ok || (ordId is null && string.IsNullOrEmpty(clOrdId)))
        {
            await ErrorAsync(http, 200, "51000", "Parameter ordId error");
            return;
        }

        var order = Exchange.Find(account, instrument.InstId, ordId, clOrdId);
        if (order is null)
        {
            await ErrorAsync(http, 200, "51603", "Order does not exist");
            return;
        }

        await DataAsync(http, w => WriteOrder(w, instrument, order));
    }

    /// <summary>GET /api/v5/trade/orders-pending[?instId=]: the open orders, newest first (OKX's order).</summary>
    public async Task PendingAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var only = http.Request.Query["instId"].ToString();
        var orders = Exchange.OpenOrders(account, only.Length > 0 ? only : null)
            .Where(o => Instrument(o.InstId) is not null).Reverse().ToList();
        await DataAsync(http, w =>
        {
            foreach (var o in orders)
            {
                WriteOrder(w, Instrument(o.InstId)!, o);
            }
        });
    }

    /// <summary>GET /api/v5/account/positions[?instId=]: the net positions that are not flat, pos in contracts.</summary>
    public async Task PositionsAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var only = http.Request.Query["instId"].ToString();
        var (positions, _) = Exchange.Snapshot(account);
        var rows = positions.Where(x => x.Quantity != 0 && (only.Length == 0 || x.InstId == only))
            .Select(x => (Instrument(x.InstId), x)).Where(r => r.Item1 is not null).ToList();
        var now = context.Clock.NowMs.ToString(CultureInfo.InvariantCulture);
        await DataAsync(http, w =>
        {
            foreach (var (i, pos) in rows)
            {
                var ctVal = decimal.Parse(i!.CtVal, CultureInfo.InvariantCulture);
                var mark = Exchange.MarkPrice(i.InstId) ?? pos.EntryPrice;
                w.WriteStartObject();
                w.WriteString("instType", "SWAP");
                w.WriteString("instId", i.InstId);
                w.WriteString("mgnMode", "cross");
                w.WriteString("posSide", "net");
                w.WriteString("pos", Text(pos.Quantity));
                w.WriteString("avgPx", Text(pos.EntryPrice));
                w.WriteString("markPx", Text(mark));
                w.WriteString("upl", Text((mark - pos.EntryPrice) * pos.Quantity * ctVal));
                w.WriteString("notionalUsd", Text(Math.Abs(pos.Quantity) * ctVal * mark));
                w.WriteString("realizedPnl", Text(pos.RealizedPnl));
                w.WriteString("ccy", i.SettleCcy);
                w.WriteString("lever", "10");
                w.WriteString("uTime", now);
                w.WriteEndObject();
            }
        });
    }

    /// <summary>
    /// GET /api/v5/trade/fills (and /fills-history, the same rows here) <c>?instType=SWAP&amp;instId=&amp;ordId=&amp;begin=&amp;end=&amp;after=&amp;before=&amp;limit=</c>:
    /// the account's executions, newest first, at most <c>limit</c> (default and maximum 100). <c>after</c>/<c>before</c>
    /// are billIds (older than / newer than); <c>begin</c>/<c>end</c> bound <c>ts</c> (ms, inclusive). billId is the
    /// simulator's trade id (on OKX they are separate sequences); fee is negative for a charge; sizes in contracts.
    /// </summary>
    public async Task FillsAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http);
        if (account is null)
        {
            return;
        }

        var p = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (p.GetValueOrDefault("instType") is { Length: > 0 } type && type != "SWAP")
        {
            await DataAsync(http, _ => { }); // the simulator trades swaps only
            return;
        }

        long? Number(string name) =>
            p.TryGetValue(name, out var text) && text.Length > 0 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        foreach (var name in new[] { "begin", "end", "after", "before", "limit", "ordId" })
        {
            if (p.TryGetValue(name, out var text) && text.Length > 0 && Number(name) is null)
            {
                await ErrorAsync(http, 200, "51000", $"Parameter {name} error");
                return;
            }
        }

        var limit = (int)Math.Clamp(Number("limit") ?? 100, 1, 100);
        var only = p.GetValueOrDefault("instId");
        var instruments = only is { Length: > 0 }
            ? [Instrument(only)]
            : context.Exchange(SimInstruments.Okx).Select(m => (SimInstrument?)m.Instrument).ToList();
        var (begin, end, after, before, ordId) = (Number("begin") ?? 0, Number("end") ?? long.MaxValue, Number("after"), Number("before"), Number("ordId"));
        var rows = instruments.Where(i => i is not null)
            .SelectMany(i => Exchange.Fills(account, i!.InstId, begin).Select(f => (Instrument: i!, f.Order, f.Fill)))
            .Where(r => r.Fill.Ts <= end && (after is null || r.Fill.TradeId < after) && (before is null || r.Fill.TradeId > before)
                && (ordId is null || r.Order.OrderId == ordId))
            .OrderByDescending(r => r.Fill.TradeId).Take(limit).ToList();
        await DataAsync(http, w =>
        {
            foreach (var (i, o, f) in rows)
            {
                var id = f.TradeId.ToString(CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("instType", "SWAP");
                w.WriteString("instId", i.InstId);
                w.WriteString("tradeId", id);
                w.WriteString("ordId", o.OrderId.ToString(CultureInfo.InvariantCulture));
                w.WriteString("clOrdId", o.ClientOrderId.StartsWith("sim", StringComparison.Ordinal) ? "" : o.ClientOrderId);
                w.WriteString("billId", id);
                w.WriteString("tag", "");
                w.WriteString("fillPx", Text(f.Price));
                w.WriteString("fillSz", Text(f.Quantity));
                w.WriteString("fillPnl", Text(f.RealizedPnl));
                w.WriteString("side", o.Side == PrivateSide.Buy ? "buy" : "sell");
                w.WriteString("posSide", "net");
                w.WriteString("execType", f.Maker ? "M" : "T");
                w.WriteString("feeCcy", i.SettleCcy);
                w.WriteString("fee", Text(-f.Fee));
                w.WriteString("ts", f.Ts.ToString(CultureInfo.InvariantCulture));
                w.WriteString("fillTime", f.Ts.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
        });
    }

    /// <summary>
    /// The account of a request, or null after writing OKX's error (HTTP 401): header missing 50103 key, 50104 passphrase,
    /// 50106 sign, 50107 timestamp; 50111 unknown key; 50112 timestamp not ISO-8601 ms UTC; 50102 more than 30 s off the
    /// simulator's clock; 50105 wrong passphrase; 50113 wrong signature. <c>x-simulated-trading</c> is accepted, not required.
    /// </summary>
    private async Task<(PrivateAccount? Account, string Body)> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var body = "";
        if ((http.Request.ContentLength ?? 0) > 0 || http.Request.Method == HttpMethods.Post)
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }

        var h = http.Request.Headers;
        string key = h["OK-ACCESS-KEY"].ToString(), sign = h["OK-ACCESS-SIGN"].ToString(),
            ts = h["OK-ACCESS-TIMESTAMP"].ToString(), passphrase = h["OK-ACCESS-PASSPHRASE"].ToString();
        var missing = key.Length == 0 ? ("50103", "Request header \"OK-ACCESS-KEY\" cannot be empty.")
            : passphrase.Length == 0 ? ("50104", "Request header \"OK-ACCESS-PASSPHRASE\" cannot be empty.")
            : sign.Length == 0 ? ("50106", "Request header \"OK-ACCESS-SIGN\" cannot be empty.")
            : ts.Length == 0 ? ("50107", "Request header \"OK-ACCESS-TIMESTAMP\" cannot be empty.")
            : default((string, string)?);
        if (missing is { } m)
        {
            await ErrorAsync(http, 401, m.Item1, m.Item2);
            return (null, body);
        }

        var account = Exchange.FindByKey(key);
        if (account is null)
        {
            await ErrorAsync(http, 401, "50111", "Invalid OK-ACCESS-KEY.");
            return (null, body);
        }

        if (!DateTimeOffset.TryParseExact(ts, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var stamp))
        {
            await ErrorAsync(http, 401, "50112", "Invalid OK-ACCESS-TIMESTAMP.");
            return (null, body);
        }

        if (Math.Abs(context.Clock.NowMs - stamp.ToUnixTimeMilliseconds()) > ExpiryMs)
        {
            await ErrorAsync(http, 401, "50102", "Timestamp request expired.");
            return (null, body);
        }

        if (!string.Equals(passphrase, account.Spec.Passphrase, StringComparison.Ordinal))
        {
            await ErrorAsync(http, 401, "50105", "Request header \"OK-ACCESS-PASSPHRASE\" incorrect.");
            return (null, body);
        }

        var path = http.Request.Path.Value + http.Request.QueryString.Value;
        if (!OkxSignature.Verify(account.Spec.Secret, OkxSignature.Prehash(ts, http.Request.Method, path, body), sign))
        {
            await ErrorAsync(http, 401, "50113", "Invalid Sign.");
            return (null, body);
        }

        return (account, body);
    }

    private SimInstrument? Instrument(string? instId) => context.Find(SimInstruments.Okx, instId)?.Instrument;

    private static Dictionary<string, string> Fields(string body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var f in doc.RootElement.EnumerateObject())
                {
                    fields[f.Name] = f.Value.ValueKind == JsonValueKind.String ? f.Value.GetString()! : f.Value.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not JSON has no fields: the first mandatory one is then reported missing.
        }

        return fields;
    }

    private static (bool Ok, long? OrdId) OrderId(Dictionary<string, string> p)
    {
        if (!p.TryGetValue("ordId", out var text) || text.Length == 0)
        {
            return (true, null);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (true, id) : (false, null);
    }

    private static Task RefusedAsync(HttpContext http, string clOrdId, PlaceResult result) => result.Error switch
    {
        PlaceError.DuplicateClientOrderId => OrderErrorAsync(http, clOrdId, "51016", "Duplicated clOrdId"),
        PlaceError.RateLimited => ErrorAsync(http, 429, "50011", "Too Many Requests"),
        PlaceError.Rejected => OrderErrorAsync(http, clOrdId, "51008", "Order failed. Insufficient USDT margin in account"),
        PlaceError.ReduceOnlyRejected => OrderErrorAsync(http, clOrdId, "51169",
            "Order failed because you don't have any positions in this direction for this contract to reduce or close."),
        PlaceError.BadQuantity => OrderErrorAsync(http, clOrdId, "51121", "Order quantity must be a multiple of the lot size."),
        PlaceError.BadPrice => OrderErrorAsync(http, clOrdId, "51000", "Parameter px error"),
        _ => OrderErrorAsync(http, clOrdId, "51001", "Instrument ID does not exist"),
    };

    /// <summary>An order as GET /api/v5/trade/order and orders-pending return it; sizes in contracts, fee negative (a cost).</summary>
    public static void WriteOrder(Utf8JsonWriter w, SimInstrument i, PrivateOrder o)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(o);
        w.WriteStartObject();
        w.WriteString("instType", "SWAP");
        w.WriteString("instId", i.InstId);
        w.WriteString("ordId", o.OrderId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("clOrdId", o.ClientOrderId.StartsWith("sim", StringComparison.Ordinal) ? "" : o.ClientOrderId);
        w.WriteString("tdMode", "cross");
        w.WriteString("side", o.Side == PrivateSide.Buy ? "buy" : "sell");
        w.WriteString("posSide", "net");
        w.WriteString("ordType", o.Type switch { PrivateOrderType.PostOnly => "post_only", PrivateOrderType.Market => "market", _ => "ioc" });
        w.WriteString("px", o.Type == PrivateOrderType.Market ? "" : Text(o.Price));
        w.WriteString("sz", Text(o.Quantity));
        w.WriteString("accFillSz", Text(o.FilledQuantity));
        w.WriteString("avgPx", o.FilledQuantity == 0 ? "" : Text(o.AveragePrice));
        w.WriteString("state", State(o.Status));
        w.WriteString("cancelSource", CancelSource(o));
        w.WriteString("cTime", o.CreatedMs.ToString(CultureInfo.InvariantCulture));
        w.WriteString("uTime", o.UpdatedMs.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }

    internal static string State(PrivateOrderStatus s) => s switch
    {
        PrivateOrderStatus.New => "live",
        PrivateOrderStatus.PartiallyFilled => "partially_filled",
        PrivateOrderStatus.Filled => "filled",
        _ => "canceled",
    };

    /// <summary>31 post-only that would take, 1 canceled by the user, 14 the unfilled rest of an IOC/market order.</summary>
    internal static string CancelSource(PrivateOrder o) =>
        o.PostOnlyCanceled ? "31" : o.Status == PrivateOrderStatus.Canceled ? "1" : o.Status == PrivateOrderStatus.Expired ? "14" : "";

    /// <summary>An exact decimal, trailing zeros trimmed (OKX's style: "0.01", "90000.1").</summary>
    internal static string Text(decimal value) => PrivateTruthLog.Text(Math.Round(value, 8));

    private static Task DataAsync(HttpContext http, Action<Utf8JsonWriter> rows) =>
        HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("code", "0");
            w.WriteString("msg", "");
            w.WriteStartArray("data");
            rows(w);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>A refused order: HTTP 200, code "1", the reason in data[0].sCode/sMsg.</summary>
    private static Task OrderErrorAsync(HttpContext http, string clOrdId, string sCode, string sMsg) =>
        HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("code", "1");
            w.WriteString("msg", "All operations failed");
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("ordId", "");
            w.WriteString("clOrdId", clOrdId);
            w.WriteString("tag", "");
            w.WriteString("sCode", sCode);
            w.WriteString("sMsg", sMsg);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });

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

    [GeneratedRegex("^[A-Za-z0-9]{1,32}$")]
    private static partial Regex ClientIdPattern();
}
