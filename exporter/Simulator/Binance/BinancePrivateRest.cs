using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// Binance USD-M's private REST over <see cref="PrivateExchange"/>: SIGNED <c>/fapi/v1/order</c> (POST, DELETE, GET),
/// <c>/fapi/v1/openOrders</c>, <c>/fapi/v1/userTrades</c>, <c>/fapi/v2/positionRisk</c> and <c>/fapi/v3/positionRisk</c>, and the USER_STREAM
/// <c>/fapi/v1/listenKey</c> (POST, PUT, DELETE; API key only). Errors are Binance's HTTP status and <c>{"code","msg"}</c>.
/// </summary>
public sealed partial class BinancePrivateRest(SimulatorContext context, BinanceListenKeys listenKeys)
{
    private const int MaxRecvWindow = 60_000;
    private const bool SymbolRequired = true;
    private const bool SymbolOptional = false;
    private PrivateExchange Exchange => context.Private!;

    /// <summary>POST /fapi/v1/order: LIMIT + GTX (post-only) or IOC, MARKET; newClientOrderId; newOrderRespType ACK (default) or RESULT.</summary>
    public async Task NewOrderAsync(HttpContext http)
    {
        if (await SignedAsync(http, SymbolRequired) is not { Instrument: { } instrument, Account: var account, Parameters: var p })
        {
            return;
        }

        var side = p.GetValueOrDefault("side");
        var type = p.GetValueOrDefault("type");
        var tif = p.GetValueOrDefault("timeInForce");
        if (side is not ("BUY" or "SELL"))
        {
            await ErrorAsync(http, 400, -1117, "Invalid side.");
            return;
        }

        PrivateOrderType kind;
        switch (type)
        {
            case "MARKET":
                kind = PrivateOrderType.Market;
                break;
            case "LIMIT" when tif == "GTX":
                kind = PrivateOrderType.PostOnly;
                break;
            case "LIMIT" when tif == "IOC":
                kind = PrivateOrderType.Ioc;
                break;
            case "LIMIT" when tif is null:
                await MandatoryAsync(http, "timeInForce");
                return;
            case "LIMIT":
                await ErrorAsync(http, 400, -1115, "Invalid timeInForce."); // GTC/FOK/GTD are not simulated
                return;
            default:
                await ErrorAsync(http, 400, -1116, "Invalid orderType.");
                return;
        }

        if (!p.TryGetValue("quantity", out var qtyText))
        {
            await MandatoryAsync(http, "quantity");
            return;
        }

        if (!decimal.TryParse(qtyText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var qty))
        {
            await ErrorAsync(http, 400, -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
            return;
        }

        var price = 0m;
        if (kind != PrivateOrderType.Market)
        {
            if (!p.TryGetValue("price", out var priceText))
            {
                await MandatoryAsync(http, "price");
                return;
            }

            if (!decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price))
            {
                await ErrorAsync(http, 400, -1100, "Illegal characters found in parameter 'price'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
                return;
            }
        }

        var clientId = p.GetValueOrDefault("newClientOrderId");
        if (clientId is not null && !ClientIdPattern().IsMatch(clientId))
        {
            await ErrorAsync(http, 400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
            return;
        }

        var reduceOnly = string.Equals(p.GetValueOrDefault("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase);
        var request = new PlaceRequest(instrument.InstId, side == "BUY" ? PrivateSide.Buy : PrivateSide.Sell, kind, qty, price, clientId, reduceOnly);
        var result = Exchange.Place(account, request);
        if (!result.Accepted)
        {
            await RefusedAsync(http, result, request);
            return;
        }

        if (Exchange.Faults.Take(PrivateFault.AckLost))
        {
            // Placed, but the answer is lost: Binance's "execution status unknown".
            await ErrorAsync(http, 503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
            return;
        }

        if (await Exchange.Faults.HoldAckAsync(http.RequestAborted))
        {
            http.Abort(); // placed, never answered (ackhold): returning would send an empty 200 when the simulator stops
            return;
        }

        var shown = p.GetValueOrDefault("newOrderRespType") == "RESULT" ? result.Result! : result.Ack!;
        await HttpReplies.JsonAsync(http, 200, w => WriteOrder(w, instrument, shown, withTime: false));
    }

    /// <summary>DELETE /fapi/v1/order by orderId or origClientOrderId: the canceled order; -2011 when unknown or no longer open.</summary>
    public async Task CancelOrderAsync(HttpContext http)
    {
        if (await SignedAsync(http, SymbolRequired) is not { Instrument: { } instrument, Account: var account, Parameters: var p })
        {
            return;
        }

        var (ok, orderId, clientId) = await OrderKeyAsync(http, p);
        if (!ok)
        {
            return;
        }

        var (order, canceled) = Exchange.Cancel(account, instrument.InstId, orderId, clientId);
        if (order is null || !canceled)
        {
            await ErrorAsync(http, 400, -2011, "Unknown order sent.");
            return;
        }

        await HttpReplies.JsonAsync(http, 200, w => WriteOrder(w, instrument, order, withTime: false));
    }

    /// <summary>GET /fapi/v1/order by orderId or origClientOrderId (open or not): -2013 when there is none.</summary>
    public async Task QueryOrderAsync(HttpContext http)
    {
        if (await SignedAsync(http, SymbolRequired) is not { Instrument: { } instrument, Account: var account, Parameters: var p })
        {
            return;
        }

        var (ok, orderId, clientId) = await OrderKeyAsync(http, p);
        if (!ok)
        {
            return;
        }

        var order = Exchange.Find(account, instrument.InstId, orderId, clientId);
        if (order is null)
        {
            await ErrorAsync(http, 400, -2013, "Order does not exist.");
            return;
        }

        await HttpReplies.JsonAsync(http, 200, w => WriteOrder(w, instrument, order, withTime: true));
    }

    /// <summary>GET /fapi/v1/openOrders[?symbol=]: the open orders, oldest first.</summary>
    public async Task OpenOrdersAsync(HttpContext http)
    {
        if (await SignedAsync(http, SymbolOptional) is not { Account: var account, Instrument: var only })
        {
            return;
        }

        var orders = Exchange.OpenOrders(account, only?.InstId);
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartArray();
            foreach (var o in orders)
            {
                WriteOrder(w, context.Find(SimInstruments.Binance, o.InstId)!.Instrument, o, withTime: true);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// GET /fapi/v2/positionRisk and /fapi/v3/positionRisk [?symbol=]: v2 lists every symbol (flat ones too) with leverage and
    /// margin type; v3 only symbols with a position or open orders, with the margin fields instead.
    /// </summary>
    public async Task PositionRiskAsync(HttpContext http, int version)
    {
        if (await SignedAsync(http, SymbolOptional) is not { Account: var account, Instrument: var only })
        {
            return;
        }

        var (positions, _) = Exchange.Snapshot(account);
        var open = Exchange.OpenOrders(account, null).Select(o => o.InstId).ToHashSet(StringComparer.Ordinal);
        var rows = context.Exchange(SimInstruments.Binance).Select(m => m.Instrument)
            .Where(i => only is null || i.InstId == only.InstId)
            .Select(i => (i, positions.FirstOrDefault(x => x.InstId == i.InstId) ?? new PrivatePosition(i.InstId, 0, 0, 0)))
            .Where(r => version == 2 || r.Item2.Quantity != 0 || open.Contains(r.i.InstId))
            .ToList();
        var now = context.Clock.NowMs;
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartArray();
            foreach (var (i, pos) in rows)
            {
                var mark = Exchange.MarkPrice(i.InstId) ?? pos.EntryPrice;
                var upnl = pos.Quantity == 0 ? 0 : (mark - pos.EntryPrice) * pos.Quantity;
                w.WriteStartObject();
                w.WriteString("symbol", i.InstId);
                w.WriteString("positionSide", "BOTH");
                w.WriteString("positionAmt", Fixed(pos.Quantity, i.SizeScale));
                w.WriteString("entryPrice", Decimal(pos.EntryPrice));
                w.WriteString("breakEvenPrice", "0.0");
                w.WriteString("markPrice", Decimal(mark));
                w.WriteString("unRealizedProfit", Decimal(upnl));
                w.WriteString("liquidationPrice", "0");
                w.WriteString("isolatedMargin", "0.00000000");
                w.WriteString("notional", Decimal(mark * pos.Quantity));
                w.WriteString("isolatedWallet", "0");
                if (version == 2)
                {
                    w.WriteString("marginType", "cross");
                    w.WriteString("isAutoAddMargin", "false");
                    w.WriteString("leverage", "20");
                    w.WriteString("maxNotionalValue", "25000000");
                }
                else
                {
                    w.WriteString("marginAsset", i.SettleCcy);
                    w.WriteString("initialMargin", "0");
                    w.WriteString("maintMargin", "0");
                    w.WriteString("positionInitialMargin", "0");
                    w.WriteString("openOrderInitialMargin", "0");
                    w.WriteNumber("adl", 0);
                    w.WriteString("bidNotional", "0");
                    w.WriteString("askNotional", "0");
                }

                w.WriteNumber("updateTime", now);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// GET /fapi/v1/userTrades: the account's fills in <c>symbol</c> (mandatory), oldest first, at most <c>limit</c> (default
    /// 500, at most 1000): from trade id <c>fromId</c> on, or in [<c>startTime</c>, <c>endTime</c>] (at most 7 days apart; one
    /// of them alone means the 7 days after / before it; neither: the last 7 days). fromId with a time is -1128.
    /// </summary>
    public async Task UserTradesAsync(HttpContext http)
    {
        if (await SignedAsync(http, SymbolRequired) is not { Instrument: { } instrument, Account: var account, Parameters: var p })
        {
            return;
        }

        long? Long(string name) => p.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        foreach (var name in new[] { "fromId", "startTime", "endTime", "limit" })
        {
            if (p.ContainsKey(name) && Long(name) is null)
            {
                await ErrorAsync(http, 400, -1100, $"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.");
                return;
            }
        }

        var limit = (int)Math.Min(Long("limit") ?? 500, 1000);
        var (fromId, start, end) = (Long("fromId"), Long("startTime"), Long("endTime"));
        if (fromId is not null && (start is not null || end is not null))
        {
            await ErrorAsync(http, 400, -1128, "Combination of optional parameters invalid.");
            return;
        }

        const long week = 7 * 24 * 3_600_000L;
        if (start is not null && end is not null && (end < start || end - start > week))
        {
            await ErrorAsync(http, 400, -1127, "More than 7 days between startTime and endTime.");
            return;
        }

        if (fromId is null)
        {
            (start, end) = (start, end) switch
            {
                ({ } s, null) => (s, s + week),
                (null, { } e) => (e - week, e),
                (null, null) => (context.Clock.NowMs - week, context.Clock.NowMs),
                var both => both,
            };
        }

        var rows = Exchange.Fills(account, instrument.InstId, fromId is null ? start!.Value : 0)
            .Where(f => fromId is { } id ? f.Fill.TradeId >= id : f.Fill.Ts <= end)
            .Take(limit)
            .ToList();
        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartArray();
            foreach (var (order, fill) in rows)
            {
                w.WriteStartObject();
                w.WriteBoolean("buyer", order.Side == PrivateSide.Buy);
                w.WriteString("commission", Decimal(fill.Fee));
                w.WriteString("commissionAsset", instrument.SettleCcy);
                w.WriteNumber("id", fill.TradeId);
                w.WriteBoolean("maker", fill.Maker);
                w.WriteNumber("orderId", order.OrderId);
                w.WriteString("price", Fixed(fill.Price, instrument.PriceScale));
                w.WriteString("qty", Fixed(fill.Quantity, instrument.SizeScale));
                w.WriteString("quoteQty", Decimal(fill.Price * fill.Quantity));
                w.WriteString("realizedPnl", Decimal(fill.RealizedPnl));
                w.WriteString("side", Side(order.Side));
                w.WriteString("positionSide", "BOTH");
                w.WriteString("symbol", instrument.InstId);
                w.WriteNumber("time", fill.Ts);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>POST /fapi/v1/listenKey: the account's active key (created if none), validity extended.</summary>
    public async Task ListenKeyPostAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http, signed: false);
        if (account is not null)
        {
            var key = listenKeys.Open(account);
            await HttpReplies.JsonAsync(http, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("listenKey", key);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>PUT /fapi/v1/listenKey: keep-alive (60 more minutes); -1125 when the account has no live key.</summary>
    public async Task ListenKeyPutAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http, signed: false);
        if (account is null)
        {
            return;
        }

        if (listenKeys.KeepAlive(account) is not { } key)
        {
            await ErrorAsync(http, 400, -1125, "This listenKey does not exist.");
            return;
        }

        await HttpReplies.JsonAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("listenKey", key);
            w.WriteEndObject();
        });
    }

    /// <summary>DELETE /fapi/v1/listenKey: closes the stream (its connections end) and invalidates the key.</summary>
    public async Task ListenKeyDeleteAsync(HttpContext http)
    {
        var (account, _) = await AuthenticateAsync(http, signed: false);
        if (account is not null)
        {
            listenKeys.Close(account);
            Exchange.DropUserStreams(account); // the stream is closed: its connections end
            await HttpReplies.JsonAsync(http, 200, w =>
            {
                w.WriteStartObject();
                w.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// The account of a request, or null after writing Binance's error: no key -2014 (401), unknown key -2015 (401); for SIGNED
    /// also timestamp/signature missing -1102, recvWindow above 60000 -1131, timestamp 1000 ms ahead of or more than recvWindow
    /// (default 5000) behind the server's clock -1021, and a wrong signature -1022 (400).
    /// </summary>
    private async Task<(PrivateAccount? Account, Dictionary<string, string> Parameters)> AuthenticateAsync(HttpContext http, bool signed)
    {
        var query = http.Request.QueryString.Value ?? "";
        var body = "";
        if (http.Request.HasFormContentType || (http.Request.ContentLength ?? 0) > 0)
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { query, body })
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(source))
            {
                parameters[name] = value.ToString();
            }
        }

        var key = http.Request.Headers["X-MBX-APIKEY"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            await ErrorAsync(http, 401, -2014, "API-key format invalid.");
            return (null, parameters);
        }

        var account = Exchange.FindByKey(key);
        if (account is null)
        {
            await ErrorAsync(http, 401, -2015, "Invalid API-key, IP, or permissions for action.");
            return (null, parameters);
        }

        if (!signed)
        {
            return (account, parameters);
        }

        if (!parameters.TryGetValue("timestamp", out var tsText) || !long.TryParse(tsText, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            await MandatoryAsync(http, "timestamp");
            return (null, parameters);
        }

        var window = 5000L;
        if (parameters.TryGetValue("recvWindow", out var windowText) &&
            (!long.TryParse(windowText, NumberStyles.None, CultureInfo.InvariantCulture, out window) || window > MaxRecvWindow))
        {
            await ErrorAsync(http, 400, -1131, "recvWindow must be less than 60000");
            return (null, parameters);
        }

        var now = context.Clock.NowMs;
        if (ts >= now + 1000)
        {
            await ErrorAsync(http, 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
            return (null, parameters);
        }

        if (now - ts > window)
        {
            await ErrorAsync(http, 400, -1021, "Timestamp for this request is outside of the recvWindow.");
            return (null, parameters);
        }

        if (!parameters.TryGetValue("signature", out var signature))
        {
            await MandatoryAsync(http, "signature");
            return (null, parameters);
        }

        if (!BinanceSignature.Verify(account.Spec.Secret, BinanceSignature.Payload(query, body), signature))
        {
            await ErrorAsync(http, 400, -1022, "Signature for this request is not valid.");
            return (null, parameters);
        }

        return (account, parameters);
    }

    /// <summary>
    /// A SIGNED request with its <c>symbol</c> (required: missing is -1102; optional: null when absent; unknown is -1121), or
    /// null after writing the error (<see cref="AuthenticateAsync"/>'s or the symbol's).
    /// </summary>
    private async Task<SignedRequest?> SignedAsync(HttpContext http, bool symbolRequired)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (account, p) = await AuthenticateAsync(http, signed: true);
        if (account is null)
        {
            return null;
        }

        if (!symbolRequired && !p.ContainsKey("symbol"))
        {
            return new SignedRequest(account, p, null);
        }

        return await SymbolAsync(http, p) is { } instrument ? new SignedRequest(account, p, instrument) : null;
    }

    private async Task<SimInstrument?> SymbolAsync(HttpContext http, Dictionary<string, string> p)
    {
        if (!p.TryGetValue("symbol", out var symbol) || symbol.Length == 0)
        {
            await MandatoryAsync(http, "symbol");
            return null;
        }

        var instrument = context.Find(SimInstruments.Binance, symbol)?.Instrument;
        if (instrument is null)
        {
            await ErrorAsync(http, 400, -1121, "Invalid symbol.");
        }

        return instrument;
    }

    private static async Task<(bool Ok, long? OrderId, string? ClientId)> OrderKeyAsync(HttpContext http, Dictionary<string, string> p)
    {
        if (p.TryGetValue("orderId", out var idText))
        {
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                await ErrorAsync(http, 400, -1100, "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'.");
                return (false, null, null);
            }

            return (true, id, null);
        }

        if (p.TryGetValue("origClientOrderId", out var clientId) && clientId.Length > 0)
        {
            return (true, null, clientId);
        }

        await ErrorAsync(http, 400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        return (false, null, null);
    }

    private static Task RefusedAsync(HttpContext http, PlaceResult result, PlaceRequest request) => result.Error switch
    {
        PlaceError.PostOnlyWouldTake => ErrorAsync(http, 400, -5022,
            "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history"),
        PlaceError.DuplicateClientOrderId => ErrorAsync(http, 400, -4116, "ClientOrderId is duplicated."),
        PlaceError.RateLimited => RateLimitedAsync(http, result.Limit!.Window, -1015,
            $"Too many new orders; current limit is {result.Limit!.Count} orders per {result.Limit.WindowText}."),
        PlaceError.Rejected => ErrorAsync(http, 400, -2019, "Margin is insufficient."),
        PlaceError.ReduceOnlyRejected => ErrorAsync(http, 400, -2022, "ReduceOnly Order is rejected."),
        PlaceError.BadQuantity when request.Quantity <= 0 => ErrorAsync(http, 400, -4003, "Quantity less than or equal to zero."),
        PlaceError.BadQuantity => ErrorAsync(http, 400, -1111, "Precision is over the maximum defined for this asset."),
        PlaceError.BadPrice when request.Price <= 0 => ErrorAsync(http, 400, -4001, "Price less than 0."),
        PlaceError.BadPrice => ErrorAsync(http, 400, -4014, "Price not increased by tick size."),
        _ => ErrorAsync(http, 400, -1121, "Invalid symbol."),
    };

    /// <summary>An order as Binance's order endpoints return it (GET and openOrders add <c>time</c>).</summary>
    public static void WriteOrder(Utf8JsonWriter w, SimInstrument i, PrivateOrder o, bool withTime)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(i);
        ArgumentNullException.ThrowIfNull(o);
        w.WriteStartObject();
        w.WriteNumber("orderId", o.OrderId);
        w.WriteString("symbol", i.InstId);
        w.WriteString("status", Status(o.Status));
        w.WriteString("clientOrderId", o.ClientOrderId);
        w.WriteString("price", Fixed(o.Price, i.PriceScale));
        w.WriteString("avgPrice", Decimal(o.AveragePrice));
        w.WriteString("origQty", Fixed(o.Quantity, i.SizeScale));
        w.WriteString("executedQty", Fixed(o.FilledQuantity, i.SizeScale));
        w.WriteString("cumQty", Fixed(o.FilledQuantity, i.SizeScale));
        w.WriteString("cumQuote", Decimal(o.FilledQuote));
        w.WriteString("timeInForce", TimeInForce(o.Type));
        w.WriteString("type", OrderType(o.Type));
        w.WriteBoolean("reduceOnly", o.ReduceOnly);
        w.WriteBoolean("closePosition", false);
        w.WriteString("side", Side(o.Side));
        w.WriteString("positionSide", "BOTH");
        w.WriteString("stopPrice", "0");
        w.WriteString("workingType", "CONTRACT_PRICE");
        w.WriteBoolean("priceProtect", false);
        w.WriteString("origType", OrderType(o.Type));
        w.WriteString("priceMatch", "NONE");
        w.WriteString("selfTradePreventionMode", "EXPIRE_MAKER");
        w.WriteNumber("goodTillDate", 0);
        if (withTime)
        {
            w.WriteNumber("time", o.CreatedMs);
        }

        w.WriteNumber("updateTime", o.UpdatedMs);
        w.WriteEndObject();
    }

    internal static string Status(PrivateOrderStatus s) => s switch
    {
        PrivateOrderStatus.New => "NEW",
        PrivateOrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        PrivateOrderStatus.Filled => "FILLED",
        PrivateOrderStatus.Canceled => "CANCELED",
        _ => "EXPIRED",
    };

    internal static string Side(PrivateSide s) => s == PrivateSide.Buy ? "BUY" : "SELL";

    internal static string OrderType(PrivateOrderType t) => t == PrivateOrderType.Market ? "MARKET" : "LIMIT";

    internal static string TimeInForce(PrivateOrderType t) => t switch
    {
        PrivateOrderType.PostOnly => "GTX",
        PrivateOrderType.Ioc => "IOC",
        _ => "GTC",
    };

    /// <summary>A price or quantity with the instrument's decimals ("65000.0", "0.010").</summary>
    internal static string Fixed(decimal value, int scale) => value.ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>An amount (PnL, fee, average) rounded to 8 decimals, trailing zeros trimmed.</summary>
    internal static string Decimal(decimal value) => PrivateTruthLog.Text(Math.Round(value, 8));

    /// <summary>HTTP 429 with Retry-After (whole seconds: the limit's window, the longest a full window can take to free a slot).</summary>
    private static Task RateLimitedAsync(HttpContext http, TimeSpan window, int code, string msg)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ErrorAsync(http, 429, code, msg);
    }

    private static Task MandatoryAsync(HttpContext http, string name) =>
        ErrorAsync(http, 400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    private static Task ErrorAsync(HttpContext http, int status, int code, string msg) =>
        HttpReplies.JsonAsync(http, status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("code", code);
            w.WriteString("msg", msg);
            w.WriteEndObject();
        });

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientIdPattern();

    /// <summary>An authenticated SIGNED request: its account, parameters (query then body) and symbol (null: none given where optional).</summary>
    private sealed record SignedRequest(PrivateAccount Account, Dictionary<string, string> Parameters, SimInstrument? Instrument);
}
