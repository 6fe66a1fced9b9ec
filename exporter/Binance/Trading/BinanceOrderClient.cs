using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// Binance USD-M signed order REST (PROTOCOL.md "Private API"): post-only LIMIT GTX entries and MARKET / IOC exits with a
/// caller-chosen <c>newClientOrderId</c>, cancel and query by client id, open orders, position risk (v3), the account's
/// trades (userTrades), server-time sync. Every request is signed with the server-clock <c>timestamp</c>; errors become
/// <see cref="BinanceApiException"/>: -1021 resyncs the clock and retries once (never more), -1022/-2014/-2015 are a fatal
/// bad key (no retry), -1007 or a lost answer to an order or cancel is <see cref="BinanceErrorKind.Unknown"/> so the caller
/// reconciles by client id, 429/418/-1003/-1015 are <see cref="BinanceErrorKind.RateLimited"/> (with Retry-After), and a
/// connection that never opened is <see cref="BinanceErrorKind.Unavailable"/>.
/// Orders go through <see cref="BinanceSymbolFilters"/> before sending.
/// </summary>
public sealed class BinanceOrderClient
{
    public const string OrderPath = "/fapi/v1/order";
    public const string OpenOrdersPath = "/fapi/v1/openOrders";
    public const string PositionRiskPath = "/fapi/v3/positionRisk";
    public const string ListenKeyPath = "/fapi/v1/listenKey";
    public const string UserTradesPath = "/fapi/v1/userTrades";

    /// <summary>The most trades one userTrades page may hold (Binance: default 500, at most 1000).</summary>
    public const int MaxUserTradesLimit = 1000;

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly BinanceSigner _signer;
    private readonly BinanceServerClock _clock;
    private readonly long _recvWindowMs;

    /// <param name="http">Owned by the caller (one per process); its timeout bounds each request.</param>
    /// <param name="baseUrl">https://fapi.binance.com, the testnet https://demo-fapi.binance.com, or the simulator.</param>
    public BinanceOrderClient(HttpClient http, Uri baseUrl, ApiCredentials credentials, BinanceServerClock clock, long recvWindowMs = BinanceSigner.DefaultRecvWindowMs)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(clock);
        _http = http;
        _baseUrl = baseUrl;
        _signer = new BinanceSigner(credentials);
        _clock = clock;
        _recvWindowMs = recvWindowMs;
    }

    public BinanceServerClock Clock => _clock;

    /// <summary>Measures the server-time offset (GET /fapi/v1/time); call once before the first signed request.</summary>
    public Task SyncTimeAsync(CancellationToken token) => _clock.SynchroniseAsync(_http, _baseUrl, token);

    /// <summary>
    /// A post-only buy/sell (LIMIT, timeInForce GTX): rests on the book or is refused with -5022 when it would take. The
    /// price is rounded to the tick away from crossing, the quantity down to the step; refused before sending below the minimums.
    /// </summary>
    public Task<BinanceOrder> PlacePostOnlyAsync(BinanceSymbolFilters filters, BinanceOrderSide side, decimal quantity, decimal price, string clientOrderId, CancellationToken token) =>
        PlacePostOnlyAsync(filters, side, quantity, price, clientOrderId, reduceOnly: false, token);

    /// <summary>A post-only order that, with <paramref name="reduceOnly"/>, may only reduce the position (a resting take-profit).</summary>
    public Task<BinanceOrder> PlacePostOnlyAsync(BinanceSymbolFilters filters, BinanceOrderSide side, decimal quantity, decimal price, string clientOrderId, bool reduceOnly, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (qty, px) = filters.Apply(side, quantity, price, market: false, reduceOnly);
        return PlaceAsync(filters.Symbol, side, $"type=LIMIT&timeInForce=GTX&quantity={BinanceDecimal.Format(qty)}&price={BinanceDecimal.Format(px)}{(reduceOnly ? "&reduceOnly=true" : "")}", clientOrderId, token);
    }

    /// <summary>
    /// A MARKET order (the taker exit), answered with its result (newOrderRespType RESULT). <paramref name="referencePrice"/>
    /// is the price it should fill near, for the MIN_NOTIONAL check (exempt when <paramref name="reduceOnly"/>).
    /// </summary>
    public Task<BinanceOrder> PlaceMarketAsync(BinanceSymbolFilters filters, BinanceOrderSide side, decimal quantity, decimal referencePrice, string clientOrderId, bool reduceOnly, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var (qty, _) = filters.Apply(side, quantity, referencePrice, market: true, reduceOnly);
        return PlaceAsync(filters.Symbol, side, $"type=MARKET&quantity={BinanceDecimal.Format(qty)}{(reduceOnly ? "&reduceOnly=true" : "")}&newOrderRespType=RESULT", clientOrderId, token);
    }

    /// <summary>A LIMIT IOC order (a taker exit with a worst price): fills what it can at or better than the limit, the rest expires.</summary>
    public Task<BinanceOrder> PlaceIocAsync(BinanceSymbolFilters filters, BinanceOrderSide side, decimal quantity, decimal limitPrice, string clientOrderId, bool reduceOnly, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(filters);
        // The worst acceptable price is rounded towards the book (up for a buy, down for a sell) so it never excludes a level.
        var px = filters.RoundPrice(limitPrice, side == BinanceOrderSide.Buy ? BinanceOrderSide.Sell : BinanceOrderSide.Buy);
        var (qty, _) = filters.Apply(side, quantity, px, market: false, reduceOnly);
        return PlaceAsync(filters.Symbol, side, $"type=LIMIT&timeInForce=IOC&quantity={BinanceDecimal.Format(qty)}&price={BinanceDecimal.Format(px)}{(reduceOnly ? "&reduceOnly=true" : "")}&newOrderRespType=RESULT", clientOrderId, token);
    }

    /// <summary>Cancels an open order by client id (DELETE /fapi/v1/order origClientOrderId); -2011 when unknown or no longer open.</summary>
    public async Task<BinanceOrder> CancelAsync(string symbol, string clientOrderId, CancellationToken token)
    {
        // A lost answer to a cancel is Unknown like an order's: the order may or may not be canceled.
        var body = await SignedAsync(HttpMethod.Delete, OrderPath, $"symbol={Escape(symbol)}&origClientOrderId={Escape(clientOrderId)}", isOrder: true, token).ConfigureAwait(false);
        return ParseOrder(body);
    }

    /// <summary>The order with this client id, open or not (GET /fapi/v1/order origClientOrderId), or null when the exchange has none (-2013).</summary>
    public async Task<BinanceOrder?> QueryAsync(string symbol, string clientOrderId, CancellationToken token)
    {
        try
        {
            var body = await SignedAsync(HttpMethod.Get, OrderPath, $"symbol={Escape(symbol)}&origClientOrderId={Escape(clientOrderId)}", isOrder: false, token).ConfigureAwait(false);
            return ParseOrder(body);
        }
        catch (BinanceApiException e) when (e.Code == -2013)
        {
            return null;
        }
    }

    /// <summary>The order with this exchange id (GET /fapi/v1/order orderId), or null when the exchange has none (-2013).</summary>
    public async Task<BinanceOrder?> QueryByOrderIdAsync(string symbol, long orderId, CancellationToken token)
    {
        try
        {
            var body = await SignedAsync(HttpMethod.Get, OrderPath, $"symbol={Escape(symbol)}&orderId={orderId.ToString(CultureInfo.InvariantCulture)}", isOrder: false, token).ConfigureAwait(false);
            return ParseOrder(body);
        }
        catch (BinanceApiException e) when (e.Code == -2013)
        {
            return null;
        }
    }

    /// <summary>
    /// One page of GET /fapi/v1/userTrades (the account's fills in <paramref name="symbol"/>, oldest first): from trade id
    /// <paramref name="fromId"/> on, or else in [<paramref name="startTimeMs"/>, <paramref name="endTimeMs"/>] (Binance: at
    /// most 7 days apart; fromId cannot be combined with the times). A page shorter than <paramref name="limit"/> is the last.
    /// </summary>
    public async Task<IReadOnlyList<BinanceUserTrade>> UserTradesAsync(string symbol, long? fromId, long? startTimeMs, long? endTimeMs, int limit, CancellationToken token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxUserTradesLimit);
        if (fromId is not null && (startTimeMs is not null || endTimeMs is not null))
        {
            throw new ArgumentException("userTrades: fromId cannot be combined with startTime/endTime", nameof(fromId));
        }

        var query = new StringBuilder("symbol=").Append(Escape(symbol));
        Append(query, "fromId", fromId);
        Append(query, "startTime", startTimeMs);
        Append(query, "endTime", endTimeMs);
        Append(query, "limit", limit);
        var body = await SignedAsync(HttpMethod.Get, UserTradesPath, query.ToString(), isOrder: false, token).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(t => new BinanceUserTrade(
            Text(t, "symbol"), t.GetProperty("id").GetInt64(), t.GetProperty("orderId").GetInt64(), Text(t, "side"), Number(t, "price"), Number(t, "qty"),
            Number(t, "quoteQty"), Number(t, "commission"), Text(t, "commissionAsset"), Number(t, "realizedPnl"),
            t.TryGetProperty("maker", out var m) && m.ValueKind == JsonValueKind.True, t.GetProperty("time").GetInt64()))];
    }

    /// <summary>The open orders (of <paramref name="symbol"/>, or all), oldest first.</summary>
    public async Task<IReadOnlyList<BinanceOrder>> OpenOrdersAsync(string? symbol, CancellationToken token)
    {
        var body = await SignedAsync(HttpMethod.Get, OpenOrdersPath, symbol is null ? "" : "symbol=" + Escape(symbol), isOrder: false, token).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(OrderOf)];
    }

    /// <summary>GET /fapi/v3/positionRisk: the positions (v3 lists only symbols with a position or open orders).</summary>
    public async Task<IReadOnlyList<BinancePosition>> PositionRiskAsync(string? symbol, CancellationToken token)
    {
        var body = await SignedAsync(HttpMethod.Get, PositionRiskPath, symbol is null ? "" : "symbol=" + Escape(symbol), isOrder: false, token).ConfigureAwait(false);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateArray().Select(p => new BinancePosition(
            Text(p, "symbol"), Number(p, "positionAmt"), Number(p, "entryPrice"), Number(p, "markPrice"), Number(p, "unRealizedProfit"),
            p.TryGetProperty("updateTime", out var u) ? u.GetInt64() : 0))];
    }

    /// <summary>POST /fapi/v1/listenKey (USER_STREAM: key header, no signature): the account's listen key (the active one if any).</summary>
    public async Task<string> CreateListenKeyAsync(CancellationToken token)
    {
        using var document = JsonDocument.Parse(await KeyOnlyAsync(HttpMethod.Post, token).ConfigureAwait(false));
        return Text(document.RootElement, "listenKey");
    }

    /// <summary>PUT /fapi/v1/listenKey: keeps the stream alive 60 more minutes (send every 30); -1125 when the key is gone (create a new one).</summary>
    public Task KeepAliveListenKeyAsync(CancellationToken token) => KeyOnlyAsync(HttpMethod.Put, token);

    /// <summary>DELETE /fapi/v1/listenKey: closes the stream.</summary>
    public Task CloseListenKeyAsync(CancellationToken token) => KeyOnlyAsync(HttpMethod.Delete, token);

    private async Task<byte[]> KeyOnlyAsync(HttpMethod method, CancellationToken token)
    {
        var request = method.Method + " " + ListenKeyPath;
        using var message = new HttpRequestMessage(method, new Uri(_baseUrl, ListenKeyPath));
        _signer.Authorize(message);
        try
        {
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            var (code, msg) = ParseError(body);
            code = code == 0 ? -1 : code;
            throw new BinanceApiException(request, (int)response.StatusCode, code, msg, BinanceApiException.KindOf((int)response.StatusCode, code), RetryAfterOf(response));
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
        {
            throw new BinanceApiException(request, 0, 0, "no answer: " + e.Message, BinanceErrorKind.Unavailable, null, e);
        }
    }

    private static void Append(StringBuilder query, string name, long? value)
    {
        if (value is { } v)
        {
            query.Append('&').Append(name).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The Retry-After of a 429/418 (seconds or a date), when Binance sent one.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } r ? r.Delta ?? (r.Date is { } d && response.Headers.Date is { } now ? d - now : null) : null;

    private async Task<BinanceOrder> PlaceAsync(string symbol, BinanceOrderSide side, string rest, string clientOrderId, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        var query = $"symbol={Escape(symbol)}&side={(side == BinanceOrderSide.Buy ? "BUY" : "SELL")}&{rest}&newClientOrderId={Escape(clientOrderId)}";
        var body = await SignedAsync(HttpMethod.Post, OrderPath, query, isOrder: true, token).ConfigureAwait(false);
        return ParseOrder(body);
    }

    /// <summary>One signed request; on -1021 one resync and one retry. An order request whose answer is lost is Unknown.</summary>
    private async Task<byte[]> SignedAsync(HttpMethod method, string path, string query, bool isOrder, CancellationToken token)
    {
        var request = method.Method + " " + path;
        for (var attempt = 0; ; attempt++)
        {
            var (status, body, retryAfter) = await SendAsync(method, path, query, request, isOrder, token).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                return body;
            }

            var (code, msg) = ParseError(body);
            if (code == -1021 && attempt == 0)
            {
                // The local clock drifted from the server's: measure again and try once more (a second -1021 is thrown).
                await SyncTimeAsync(token).ConfigureAwait(false);
                continue;
            }

            if (code == 0 && status >= 500)
            {
                // A 5xx without Binance's code: the gateway may have forwarded an order (treat like -1007); a read changed nothing.
                throw new BinanceApiException(request, status, 0, $"HTTP {status} without an error code",
                    isOrder ? BinanceErrorKind.Unknown : BinanceErrorKind.Unavailable, retryAfter);
            }

            throw new BinanceApiException(request, status, code, msg, BinanceApiException.KindOf(status, code), retryAfter);
        }
    }

    private async Task<(int Status, byte[] Body, TimeSpan? RetryAfter)> SendAsync(HttpMethod method, string path, string query, string request, bool isOrder, CancellationToken token)
    {
        var signed = _signer.SignQuery(query, _clock.NowMs(), _recvWindowMs);
        using var message = new HttpRequestMessage(method, new Uri(_baseUrl, path + "?" + signed));
        _signer.Authorize(message);
        try
        {
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            return ((int)response.StatusCode, body, RetryAfterOf(response));
        }
        catch (HttpRequestException e) when (!token.IsCancellationRequested && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            // The connection never opened: the request did not reach Binance, whatever it was.
            throw new BinanceApiException(request, 0, 0, "no connection: " + e.Message, BinanceErrorKind.Unavailable, null, e);
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
        {
            // Sent (perhaps) but no answer: an order (or cancel) may have been executed, so never resend blindly; a read changed nothing.
            throw new BinanceApiException(request, 0, 0, "no answer: " + e.Message, isOrder ? BinanceErrorKind.Unknown : BinanceErrorKind.Unavailable, null, e);
        }
    }

    private static (int Code, string Msg) ParseError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.TryGetInt32(out var code))
            {
                return (code, root.TryGetProperty("msg", out var m) ? m.GetString() ?? "" : "");
            }
        }
        catch (JsonException)
        {
            // Not Binance's JSON (a proxy's HTML page): fall through to the raw text.
        }

        var text = Encoding.UTF8.GetString(body);
        return (0, text.Length > 200 ? text[..200] : text);
    }

    private static BinanceOrder ParseOrder(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return OrderOf(document.RootElement);
    }

    private static BinanceOrder OrderOf(JsonElement o) => new(
        Text(o, "symbol"), o.GetProperty("orderId").GetInt64(), Text(o, "clientOrderId"), Text(o, "status"), Text(o, "side"), Text(o, "type"),
        Text(o, "timeInForce"), Number(o, "price"), Number(o, "origQty"), Number(o, "executedQty"), Number(o, "avgPrice"),
        o.TryGetProperty("updateTime", out var u) ? u.GetInt64() : 0);

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";

    private static decimal Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? decimal.Parse(v.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)
            : 0m;

    private static string Escape(string value) => WebUtility.UrlEncode(value);
}
