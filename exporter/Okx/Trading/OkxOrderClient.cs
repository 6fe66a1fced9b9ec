using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// OKX v5 signed order REST (PROTOCOL.md "Private API"): place (post_only, market, ioc; sz in contracts; clOrdId;
/// reduceOnly), cancel and query by clOrdId, pending orders, positions, fills (paged), plus the public server time and
/// instrument facts. Every signed request carries the server-clock timestamp (offset from <c>GET /api/v5/public/time</c>)
/// and, in demo trading, <c>x-simulated-trading: 1</c>. Failures are <see cref="VenueException"/> (<see cref="OkxErrors"/>):
/// 50102 resyncs the clock and retries once; nothing else is retried here; a lost answer to an order request is Unknown.
/// </summary>
public sealed class OkxOrderClient
{
    public const string TimePath = "/api/v5/public/time";
    public const string InstrumentsPath = "/api/v5/public/instruments";
    public const string OrderPath = "/api/v5/trade/order";
    public const string CancelPath = "/api/v5/trade/cancel-order";
    public const string PendingPath = "/api/v5/trade/orders-pending";
    public const string PositionsPath = "/api/v5/account/positions";
    public const string FillsPath = "/api/v5/trade/fills";
    public const string FillsHistoryPath = "/api/v5/trade/fills-history";

    /// <summary>OKX's page size maximum for trade/fills.</summary>
    public const int MaxFillsPage = 100;

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly OkxSigner _signer;
    private readonly TimeProvider _time;
    private long _offsetMs;

    /// <param name="http">Owned by the caller; its timeout bounds each request.</param>
    /// <param name="baseUrl">https://www.okx.com (production and demo alike) or the simulator.</param>
    public OkxOrderClient(HttpClient http, Uri baseUrl, ApiCredentials credentials, bool demoTrading, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _baseUrl = baseUrl;
        _signer = new OkxSigner(credentials, demoTrading);
        _time = time;
    }

    public OkxSigner Signer => _signer;

    /// <summary>Server minus local clock, ms (0 before <see cref="SyncTimeAsync"/>).</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    /// <summary>OKX's time now, Unix ms: the local clock plus the measured offset.</summary>
    public long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds() + OffsetMs;

    /// <summary>Measures the offset with one unsigned GET /api/v5/public/time (the midpoint of send and receive).</summary>
    public async Task SyncTimeAsync(CancellationToken token)
    {
        var sent = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var root = await PublicAsync(TimePath, token).ConfigureAwait(false);
        var received = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var data = root.GetProperty("data");
        var server = data.GetArrayLength() > 0 ? OkxFields.Long(data[0], "ts") : 0;
        if (server <= 0)
        {
            throw new VenueException(VenueErrorKind.Unavailable, "okx GET " + TimePath + ": no ts in the answer");
        }

        Interlocked.Exchange(ref _offsetMs, server - (sent + ((received - sent) / 2)));
    }

    /// <summary>The swap's facts (unsigned GET /api/v5/public/instruments?instType=SWAP&amp;instId=); Rejected when OKX lists no such swap.</summary>
    public async Task<OkxContract> InstrumentAsync(string instId, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        var root = await PublicAsync($"{InstrumentsPath}?instType=SWAP&instId={Escape(instId)}", token).ConfigureAwait(false);
        var data = root.GetProperty("data");
        foreach (var row in data.EnumerateArray())
        {
            if (OkxFields.Text(row, "instId") == instId)
            {
                return OkxContract.Parse(row);
            }
        }

        throw new VenueException(VenueErrorKind.Rejected, $"okx has no swap {instId} (GET {InstrumentsPath}?instType=SWAP)", "51001");
    }

    /// <summary>
    /// POST /api/v5/trade/order. <paramref name="sz"/> in contracts, <paramref name="px"/> null for market. Returns OKX's ordId
    /// and ts; a refusal (sCode ≠ 0) throws with the sMsg. OKX accepts a post_only that would take and cancels it (cancelSource 31).
    /// </summary>
    public async Task<(string OrdId, long Ts)> PlaceAsync(string instId, string tdMode, string side, string ordType, decimal sz, decimal? px,
        string clOrdId, bool reduceOnly, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(clOrdId);
        var body = Json(w =>
        {
            w.WriteString("instId", instId);
            w.WriteString("tdMode", tdMode);
            w.WriteString("side", side);
            w.WriteString("ordType", ordType);
            w.WriteString("sz", OkxFields.Format(sz));
            if (px is { } p)
            {
                w.WriteString("px", OkxFields.Format(p));
            }

            w.WriteString("clOrdId", clOrdId);
            if (reduceOnly)
            {
                w.WriteBoolean("reduceOnly", true);
            }
        });
        var root = await SignedAsync(HttpMethod.Post, OrderPath, body, isOrder: true, token).ConfigureAwait(false);
        var row = root.GetProperty("data")[0];
        return (OkxFields.Text(row, "ordId"), OkxFields.Long(row, "ts"));
    }

    /// <summary>POST /api/v5/trade/cancel-order by clOrdId: true when canceled now, false when it was not open (51400-51402, 51603).</summary>
    public async Task<bool> CancelAsync(string instId, string clOrdId, CancellationToken token)
    {
        var body = Json(w =>
        {
            w.WriteString("instId", instId);
            w.WriteString("clOrdId", clOrdId);
        });
        try
        {
            await SignedAsync(HttpMethod.Post, CancelPath, body, isOrder: false, token).ConfigureAwait(false);
            return true;
        }
        catch (VenueException e) when (e.Code is "51400" or "51401" or "51402" or OkxErrors.OrderDoesNotExist)
        {
            return false;
        }
    }

    /// <summary>GET /api/v5/trade/order?instId=&amp;clOrdId= (open or not), or null when OKX has none (51603).</summary>
    public async Task<OkxOrder?> QueryAsync(string instId, string clOrdId, CancellationToken token)
    {
        try
        {
            var root = await SignedAsync(HttpMethod.Get, $"{OrderPath}?instId={Escape(instId)}&clOrdId={Escape(clOrdId)}", null, isOrder: false, token).ConfigureAwait(false);
            var data = root.GetProperty("data");
            return data.GetArrayLength() > 0 ? OkxOrder.Parse(data[0]) : null;
        }
        catch (VenueException e) when (e.Code == OkxErrors.OrderDoesNotExist)
        {
            return null;
        }
    }

    /// <summary>GET /api/v5/trade/orders-pending?instType=SWAP&amp;instId= (the first page: up to 100, which an executor never nears).</summary>
    public async Task<IReadOnlyList<OkxOrder>> PendingAsync(string instId, CancellationToken token)
    {
        var root = await SignedAsync(HttpMethod.Get, $"{PendingPath}?instType=SWAP&instId={Escape(instId)}", null, isOrder: false, token).ConfigureAwait(false);
        return [.. root.GetProperty("data").EnumerateArray().Select(OkxOrder.Parse)];
    }

    /// <summary>GET /api/v5/account/positions?instType=SWAP&amp;instId=: the open positions (none when flat).</summary>
    public async Task<IReadOnlyList<OkxPositionRow>> PositionsAsync(string instId, CancellationToken token)
    {
        var root = await SignedAsync(HttpMethod.Get, $"{PositionsPath}?instType=SWAP&instId={Escape(instId)}", null, isOrder: false, token).ConfigureAwait(false);
        return [.. root.GetProperty("data").EnumerateArray().Select(OkxPositionRow.Parse)];
    }

    /// <summary>
    /// One page of GET /api/v5/trade/fills (or fills-history, 3 months instead of 3 days): newest first, ts ≥
    /// <paramref name="beginMs"/>, older than billId <paramref name="after"/> when given, at most <paramref name="limit"/> (≤ 100).
    /// </summary>
    public async Task<IReadOnlyList<OkxFill>> FillsPageAsync(string instId, long beginMs, string? after, int limit, bool history, CancellationToken token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxFillsPage);
        var query = new StringBuilder(history ? FillsHistoryPath : FillsPath)
            .Append("?instType=SWAP&instId=").Append(Escape(instId))
            .Append("&begin=").Append(beginMs.ToString(CultureInfo.InvariantCulture));
        if (after is { Length: > 0 })
        {
            query.Append("&after=").Append(Escape(after));
        }

        query.Append("&limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        var root = await SignedAsync(HttpMethod.Get, query.ToString(), null, isOrder: false, token).ConfigureAwait(false);
        return [.. root.GetProperty("data").EnumerateArray().Select(OkxFill.Parse)];
    }

    private async Task<JsonElement> PublicAsync(string pathAndQuery, CancellationToken token)
    {
        var request = "GET " + pathAndQuery.Split('?')[0];
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUrl, pathAndQuery));
        var (status, body) = await SendAsync(message, request, isOrder: false, token).ConfigureAwait(false);
        return Check(request, status, body, isOrder: false);
    }

    /// <summary>One signed request; on 50102 (timestamp expired) one resync and one retry. Returns the answer's root.</summary>
    private async Task<JsonElement> SignedAsync(HttpMethod method, string pathAndQuery, string? body, bool isOrder, CancellationToken token)
    {
        var request = method.Method + " " + pathAndQuery.Split('?')[0];
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, new Uri(_baseUrl, pathAndQuery));
            if (body is not null)
            {
                message.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            _signer.Authorize(message, body, DateTimeOffset.FromUnixTimeMilliseconds(NowMs()));
            var (status, answer) = await SendAsync(message, request, isOrder, token).ConfigureAwait(false);
            try
            {
                return Check(request, status, answer, isOrder);
            }
            catch (VenueException e) when (e.Code == OkxErrors.TimestampExpired && attempt == 0)
            {
                // The local clock drifted from OKX's: measure again and try once more (nothing was executed).
                await SyncTimeAsync(token).ConfigureAwait(false);
            }
        }
    }

    private async Task<(int Status, byte[] Body)> SendAsync(HttpRequestMessage message, string request, bool isOrder, CancellationToken token)
    {
        try
        {
            using var response = await _http.SendAsync(message, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            return ((int)response.StatusCode, body);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError && !token.IsCancellationRequested)
        {
            // Never connected: nothing reached OKX.
            throw new VenueException(VenueErrorKind.Unavailable, $"okx {request}: cannot connect ({e.Message})", null, null, e);
        }
        catch (Exception e) when (!token.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or IOException)
        {
            // Sent (perhaps) but no answer: an order may exist. Never resend blindly.
            throw new VenueException(isOrder ? VenueErrorKind.Unknown : VenueErrorKind.Unavailable,
                isOrder ? $"okx {request}: no answer ({e.Message}); outcome unknown, reconcile by clOrdId, do not resend" : $"okx {request}: no answer ({e.Message})",
                null, null, e);
        }
    }

    /// <summary>The root of a successful answer (code "0", every row's sCode "0"), else the mapped exception.</summary>
    private static JsonElement Check(string request, int status, byte[] body, bool isOrder)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not OKX's JSON (a proxy's page): the status says it all.
            var text = Encoding.UTF8.GetString(body);
            throw OkxErrors.Exception(request, "", text.Length > 200 ? text[..200] : text, status, isOrder);
        }

        var code = OkxFields.Text(root, "code");
        var msg = OkxFields.Text(root, "msg");
        var data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array ? d : default;
        if (data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 && OkxFields.Text(data[0], "sCode") is { Length: > 0 } sCode && sCode != "0")
        {
            // A per-order refusal: HTTP 200, code "1", the reason in sCode/sMsg.
            throw OkxErrors.Exception(request, sCode, OkxFields.Text(data[0], "sMsg"), status, isOrder);
        }

        if (status is >= 200 and < 300 && code == "0" && data.ValueKind == JsonValueKind.Array)
        {
            return root;
        }

        throw OkxErrors.Exception(request, code, msg, status, isOrder);
    }

    private static string Json(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Escape(string value) => WebUtility.UrlEncode(value);
}
