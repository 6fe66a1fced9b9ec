using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Simulator.Okx;

/// <summary>
/// OKX's REST signature, computed independently of any client: <c>OK-ACCESS-SIGN</c> = base64 HMAC-SHA256, keyed with the
/// account's secret, of timestamp + METHOD + requestPath (with its query string) + body (empty for GET).
/// </summary>
public static class OkxSignature
{
    public static string Prehash(string timestamp, string method, string requestPath, string body) =>
        timestamp + method.ToUpperInvariant() + requestPath + body;

    public static string Sign(string secret, string prehash)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(prehash);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(prehash)));
    }

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="prehash"/> with <paramref name="secret"/> (constant-time compare).</summary>
    public static bool Verify(string secret, string prehash, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, prehash)), Encoding.ASCII.GetBytes(signature));
    }
}
