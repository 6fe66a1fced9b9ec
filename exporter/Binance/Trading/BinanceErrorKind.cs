namespace Pipeline.Exporter.Binance.Trading;

/// <summary>What a caller must do about a Binance error (PROTOCOL.md "Private API", error codes).</summary>
public enum BinanceErrorKind
{
    /// <summary>The request was refused and nothing happened (e.g. -5022 post-only would cross, -2011 unknown order): decide anew.</summary>
    Rejected,

    /// <summary>-1022 / -2014 / -2015: the key, secret, IP whitelist or permissions are wrong. Fatal: never retry.</summary>
    BadKey,

    /// <summary>-1007 or a lost answer to an order request: the order may or may not exist. Reconcile by client id; never resend blindly.</summary>
    Unknown,

    /// <summary>-1021 twice in a row: the clock offset could not be fixed by one resync.</summary>
    ClockSkew,

    /// <summary>HTTP 429/418, -1003 (too many requests) or -1015 (too many orders): wait (Retry-After when given), then try again.</summary>
    RateLimited,

    /// <summary>No connection to Binance (refused, name resolution, TLS), or a read request without an answer: nothing was done; retry later.</summary>
    Unavailable,
}
