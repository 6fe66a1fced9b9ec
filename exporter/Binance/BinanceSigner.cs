using System.Globalization;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance USD-M SIGNED requests: <c>signature</c> = lower-case hex HMAC-SHA256(secret, totalParams), where
/// totalParams is the query string (plus the form body, concatenated, when there is one); the key goes in the
/// <c>X-MBX-APIKEY</c> header. See PROTOCOL.md "Private API".
/// </summary>
public sealed class BinanceSigner
{
    public const string ApiKeyHeader = "X-MBX-APIKEY";

    /// <summary>The documented default; requests older than this (server clock) are rejected with -1021.</summary>
    public const long DefaultRecvWindowMs = 5000;

    private readonly ApiCredentials _credentials;

    public BinanceSigner(ApiCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Venue != TradingVenues.Binance)
        {
            throw new ArgumentException($"Binance requests need binance credentials, not {credentials.Venue}", nameof(credentials));
        }

        _credentials = credentials;
    }

    /// <summary>The 64 lower-case hex digits of HMAC-SHA256(secret, <paramref name="totalParams"/>).</summary>
    public string Sign(ReadOnlySpan<char> totalParams)
    {
        Span<byte> mac = stackalloc byte[HmacSha256.Size];
        HmacSha256.Compute(_credentials.SecretKey, totalParams, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// <paramref name="query"/> (already URL-encoded, without '?') with <c>recvWindow</c>, <c>timestamp</c> (server
    /// clock, ms) and the <c>signature</c> of all of it appended: the query string to send.
    /// </summary>
    public string SignQuery(string query, long timestampMs, long recvWindowMs = DefaultRecvWindowMs)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(recvWindowMs, 1);
        var unsigned = string.Create(CultureInfo.InvariantCulture,
            $"{query}{(query.Length == 0 ? "" : "&")}recvWindow={recvWindowMs}&timestamp={timestampMs}");
        return string.Concat(unsigned, "&signature=", Sign(unsigned));
    }

    /// <summary>Adds the <c>X-MBX-APIKEY</c> header (the key, not the secret).</summary>
    public void Authorize(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(ApiKeyHeader);
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, _credentials.ApiKey);
    }
}
