using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// Binance's SIGNED check, computed independently of any client: <c>signature</c> = hex HMAC-SHA256, keyed with the
/// account's secret, of the total parameter string (the query string as sent, then the request body as sent, each
/// without the <c>signature</c> parameter). Binance compares the hex case-insensitively.
/// </summary>
public static class BinanceSignature
{
    /// <summary>The payload that was signed: query then body, the signature item removed, everything else byte for byte.</summary>
    public static string Payload(string query, string body) => Strip(query.TrimStart('?')) + Strip(body);

    public static string Sign(string secret, string payload)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(payload);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
    }

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="payload"/> with <paramref name="secret"/> (constant-time compare).</summary>
    public static bool Verify(string secret, string payload, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var expected = Encoding.ASCII.GetBytes(Sign(secret, payload));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static string Strip(string text) =>
        string.Join('&', text.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("signature=", StringComparison.Ordinal)));
}
