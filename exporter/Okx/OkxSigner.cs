using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX v5 private requests: <c>OK-ACCESS-SIGN</c> = base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)),
/// where timestamp is the <c>OK-ACCESS-TIMESTAMP</c> value (ISO-8601 UTC with milliseconds) and requestPath includes the
/// query string; plus the key and passphrase headers, and <c>x-simulated-trading: 1</c> for demo trading. The private
/// WebSocket's <c>login</c> signs timestamp (Unix seconds) + "GET" + "/users/self/verify". See PROTOCOL.md "Private API".
/// </summary>
public sealed class OkxSigner
{
    public const string KeyHeader = "OK-ACCESS-KEY";
    public const string SignHeader = "OK-ACCESS-SIGN";
    public const string TimestampHeader = "OK-ACCESS-TIMESTAMP";
    public const string PassphraseHeader = "OK-ACCESS-PASSPHRASE";
    public const string SimulatedTradingHeader = "x-simulated-trading";
    public const string LoginPath = "/users/self/verify";

    private readonly ApiCredentials _credentials;

    public OkxSigner(ApiCredentials credentials, bool demoTrading)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Venue != TradingVenues.Okx)
        {
            throw new ArgumentException($"OKX requests need okx credentials, not {credentials.Venue}", nameof(credentials));
        }

        _credentials = credentials;
        DemoTrading = demoTrading;
    }

    /// <summary>Demo trading: every REST request carries <c>x-simulated-trading: 1</c>.</summary>
    public bool DemoTrading { get; }

    /// <summary>The REST timestamp: <c>2020-12-08T09:08:57.715Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)).</summary>
    public string Sign(string timestamp, string method, string requestPath, string? body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestPath);
        var prehash = string.Concat(timestamp, method.ToUpperInvariant(), requestPath, body ?? string.Empty);
        Span<byte> mac = stackalloc byte[HmacSha256.Size];
        HmacSha256.Compute(_credentials.SecretKey, prehash, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// Signs <paramref name="request"/> (absolute URI; its path and query are the requestPath) with
    /// <paramref name="body"/> as sent (empty for GET) at <paramref name="now"/>, setting the four OK-ACCESS headers
    /// and, in demo trading, <c>x-simulated-trading: 1</c>.
    /// </summary>
    public void Authorize(HttpRequestMessage request, string? body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new ArgumentException("an OKX request to sign needs an absolute URI", nameof(request));
        }

        var timestamp = FormatTimestamp(now);
        Set(request, KeyHeader, _credentials.ApiKey);
        Set(request, SignHeader, Sign(timestamp, request.Method.Method, uri.PathAndQuery, body));
        Set(request, TimestampHeader, timestamp);
        Set(request, PassphraseHeader, _credentials.Passphrase!);
        if (DemoTrading)
        {
            Set(request, SimulatedTradingHeader, "1");
        }
    }

    /// <summary>The <c>login</c> signature of the private WebSocket at <paramref name="unixSeconds"/>.</summary>
    public string SignLogin(long unixSeconds) =>
        Sign(unixSeconds.ToString(CultureInfo.InvariantCulture), "GET", LoginPath, body: null);

    /// <summary>
    /// The private WebSocket's login request, <c>{"op":"login","args":[{"apiKey","passphrase","timestamp","sign"}]}</c>.
    /// It carries the key and passphrase: send it, never log it.
    /// </summary>
    public string LoginFrame(long unixSeconds)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("op"u8, "login"u8);
            json.WriteStartArray("args"u8);
            json.WriteStartObject();
            json.WriteString("apiKey"u8, _credentials.ApiKey);
            json.WriteString("passphrase"u8, _credentials.Passphrase);
            json.WriteString("timestamp"u8, unixSeconds.ToString(CultureInfo.InvariantCulture));
            json.WriteString("sign"u8, SignLogin(unixSeconds));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
