namespace Pipeline.Exporter.Trading;

/// <summary>
/// A venue failure: <see cref="Kind"/> says what to do, <see cref="Code"/> is the venue's own code (e.g. "-5022", "51008")
/// when it gave one. The message names the venue, the request and the venue's message, never a key or signature.
/// </summary>
public sealed class VenueException : Exception
{
    public VenueException()
    {
    }

    public VenueException(string message)
        : base(message)
    {
    }

    public VenueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VenueException(VenueErrorKind kind, string message, string? code = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Code = code;
        RetryAfter = retryAfter;
    }

    public VenueErrorKind Kind { get; } = VenueErrorKind.Unknown;

    public string? Code { get; }

    public TimeSpan? RetryAfter { get; }
}
