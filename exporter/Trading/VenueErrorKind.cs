namespace Pipeline.Exporter.Trading;

/// <summary>What the caller of an <see cref="IOrderVenue"/> must do about a failure.</summary>
public enum VenueErrorKind
{
    /// <summary>Refused and nothing happened (post-only would cross, filters, insufficient margin, unknown order): decide anew.</summary>
    Rejected,

    /// <summary>Key, secret, passphrase, IP whitelist or permissions wrong. Fatal: stop with one line, never retry.</summary>
    Auth,

    /// <summary>The outcome is not known (answer lost, timeout, 5xx): query by client order id; never resend blindly.</summary>
    Unknown,

    /// <summary>Rate limit hit: wait (RetryAfter when the venue says) and try again later.</summary>
    RateLimited,

    /// <summary>The venue is unreachable or failing (connection refused, maintenance): nothing was sent; retry with backoff.</summary>
    Unavailable,
}
