namespace Pipeline.Exporter.Rest;

/// <summary>The exchange said "slow down" (HTTP 429/418, OKX code 50011); retry after the given delay.</summary>
public sealed class RateLimitedException : Exception
{
    public RateLimitedException()
    {
    }

    public RateLimitedException(string message) : base(message)
    {
    }

    public RateLimitedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public RateLimitedException(string message, TimeSpan? retryAfter) : base(message) => RetryAfter = retryAfter;

    public TimeSpan? RetryAfter { get; }
}
