using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// OKX error codes to what the caller must do (PROTOCOL.md "Private API", error codes): 501xx/5012x key, signature,
/// passphrase, IP or permission (Auth, never retried); 50011/50061 and HTTP 429 rate limits; 50001/50004/50013/50026 and
/// 5xx the service (for an order request the outcome is Unknown: OKX says 50004 "does not mean that the request was
/// successful or failed"); 51xxx and the rest per-order refusals (Rejected: nothing happened). The private WebSocket's
/// 600xx codes: <see cref="WebSocketKindOf"/>.
/// </summary>
internal static class OkxErrors
{
    /// <summary>Timestamp request expired: the clock is off; resynchronised and retried once by the client.</summary>
    public const string TimestampExpired = "50102";

    /// <summary>GET /api/v5/trade/order: "Order does not exist".</summary>
    public const string OrderDoesNotExist = "51603";

    public static VenueErrorKind KindOf(string code, int httpStatus, bool isOrder)
    {
        if (code is "50011" or "50061" || httpStatus == 429)
        {
            return VenueErrorKind.RateLimited;
        }

        if (code.Length == 5 && code.StartsWith("501", StringComparison.Ordinal) && code != TimestampExpired
            || code.Length == 5 && code.StartsWith("5012", StringComparison.Ordinal) || (code.Length == 0 && httpStatus is 401 or 403))
        {
            return VenueErrorKind.Auth;
        }

        if (code is "50001" or "50004" or "50013" or "50026" || httpStatus >= 500 || code == TimestampExpired)
        {
            return isOrder && code != TimestampExpired ? VenueErrorKind.Unknown : VenueErrorKind.Unavailable;
        }

        return VenueErrorKind.Rejected;
    }

    /// <summary>A private WebSocket login or subscribe refusal (600xx): key, signature, passphrase or timestamp → Auth; 60006 (timestamp expired) → Unavailable.</summary>
    public static VenueErrorKind WebSocketKindOf(string code) => code switch
    {
        "60004" or "60005" or "60007" or "60009" or "60022" or "60023" or "60024" or "60032" => VenueErrorKind.Auth,
        "60006" => VenueErrorKind.Unavailable,
        _ => VenueErrorKind.Rejected,
    };

    /// <summary>One line naming the request, OKX's code and message; never a key, signature or passphrase.</summary>
    public static VenueException Exception(string request, string code, string message, int httpStatus, bool isOrder)
    {
        var text = SecretRedactor.Redact(message).ReplaceLineEndings(" ");
        var kind = KindOf(code, httpStatus, isOrder);
        var shown = code.Length > 0 ? $"{code} {text}" : $"HTTP {httpStatus} {text}";
        return new VenueException(kind, kind switch
        {
            VenueErrorKind.Auth => $"okx rejected the API credentials ({shown}) on {request}: check the key, the secret, the passphrase, " +
                "the IP whitelist, the key's trade permission and demo vs live keys; not retrying",
            VenueErrorKind.Unknown => $"okx {request}: outcome unknown ({shown}); reconcile by clOrdId, do not resend",
            VenueErrorKind.RateLimited => $"okx {request}: rate limited ({shown})",
            VenueErrorKind.Unavailable => $"okx {request}: unavailable ({shown})",
            _ => $"okx {request}: {shown}",
        }, code.Length > 0 ? code : null);
    }
}
