using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Venues;
using Polly;
using Polly.Retry;
using Serilog;

namespace Pipeline.Exporter.Rest;

/// <summary>
/// The one place that builds HttpClients and Polly retry pipelines for REST and archive downloads: exponential
/// backoff with jitter from the venue's <see cref="VenueDefaults.RetryBaseDelay"/>, bounded by the caller's
/// retry count and maximum delay, on the given TimeProvider (so tests on a fake clock control the waits).
/// </summary>
public static class ResilientHttp
{
    /// <summary>A REST client for one venue (its timeout, retry base delay and in-body rate-limit answers).</summary>
    public static ExchangeRestClient Rest(IVenue venue, TimeProvider time, ILogger? log, int maxRetries, TimeSpan maxDelay) =>
        new(time, log, maxRetries, maxDelay, venue ?? throw new ArgumentNullException(nameof(venue)));

    /// <summary>An archive downloader for one venue (its download timeout and retry base delay).</summary>
    public static ArchiveDownloader Archives(IVenue venue, string tempDir, TimeProvider time, ILogger log, int maxRetries, TimeSpan maxDelay)
    {
        ArgumentNullException.ThrowIfNull(venue);
        return new ArchiveDownloader(tempDir, time, log, maxRetries, maxDelay, venue.Defaults);
    }

    internal static HttpClient CreateClient(TimeSpan timeout, string userAgent)
    {
        var http = new HttpClient { Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return http;
    }

    /// <summary>Retries what <paramref name="handle"/> matches; <paramref name="delay"/> may override a delay (Retry-After).</summary>
    internal static ResiliencePipeline CreateRetry(TimeProvider time, PredicateBuilder<object> handle, int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay,
        Func<OnRetryArguments<object>, ValueTask> onRetry, Func<RetryDelayGeneratorArguments<object>, ValueTask<TimeSpan?>>? delay = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = handle,
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = maxDelay,
                DelayGenerator = delay,
                OnRetry = onRetry,
            })
            .Build();
}
