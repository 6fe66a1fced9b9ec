using System.Net;
using Pipeline.Exporter.Venues;
using Polly;
using Serilog;

namespace Pipeline.Exporter.Rest;

/// <summary>
/// GET with rate-limit awareness: HTTP 429/418 (Binance, with Retry-After) and in-body rate-limit answers (<see cref="IVenue.RateLimitReason"/>, OKX code 50011) become
/// <see cref="RateLimitedException"/>, retried by a Polly pipeline with exponential backoff and jitter
/// (Retry-After wins when given); transient network and 5xx failures are retried the same way.
/// </summary>
public sealed class ExchangeRestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly IVenue? _venue;

    /// <param name="venue">The venue whose timeout, retry delay and in-body rate-limit answers apply; null = the common
    /// defaults and every venue's rate-limit answers (a client shared across venues).</param>
    public ExchangeRestClient(TimeProvider time, ILogger? log = null, int maxRetries = 8, TimeSpan? maxDelay = null, IVenue? venue = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _venue = venue;
        _log = log ?? Log.Logger;
        var defaults = venue?.Defaults;
        _http = ResilientHttp.CreateClient(defaults?.RestTimeout ?? TimeSpan.FromSeconds(20), "pipeline-exporter/1.0");
        _pipeline = ResilientHttp.CreateRetry(time,
            new PredicateBuilder()
                .Handle<RateLimitedException>()
                .Handle<HttpRequestException>()
                .Handle<TaskCanceledException>(ex => ex.InnerException is TimeoutException),
            maxRetries, defaults?.RetryBaseDelay ?? TimeSpan.FromMilliseconds(200), maxDelay ?? TimeSpan.FromSeconds(30),
            args =>
            {
                _log.Warning("REST retry {Attempt} in {Delay}: {Reason}", args.AttemptNumber + 1, args.RetryDelay,
                    args.Outcome.Exception?.Message);
                if (args.Outcome.Exception is RateLimitedException)
                {
                    Interlocked.Increment(ref _rateLimited);
                }

                return ValueTask.CompletedTask;
            },
            args => ValueTask.FromResult(
                args.Outcome.Exception is RateLimitedException { RetryAfter: { } after } ? after : (TimeSpan?)null));
    }

    private long _rateLimited;

    /// <summary>Rate-limit answers seen so far.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>The body of a successful GET (retrying rate limits and transient failures).</summary>
    public async Task<byte[]> GetAsync(Uri url, CancellationToken token)
    {
        return await _pipeline.ExecuteAsync(async t => await GetOnceAsync(url, t), token);
    }

    private async Task<byte[]> GetOnceAsync(Uri url, CancellationToken token)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseContentRead, token);
        var body = await response.Content.ReadAsByteArrayAsync(token);
        if (response.StatusCode is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
        {
            var after = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? date - _time.GetUtcNow() : null);
            throw new RateLimitedException($"HTTP {(int)response.StatusCode} from {EndpointRedaction.Redact(url.GetLeftPart(UriPartial.Path))}", after);
        }

        if (RateLimitReason(body) is { } reason)
        {
            throw new RateLimitedException($"{reason} from {EndpointRedaction.Redact(url.GetLeftPart(UriPartial.Path))}", (TimeSpan?)null);
        }

        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} from {EndpointRedaction.Redact(url.GetLeftPart(UriPartial.Path))}", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
            throw new RestRequestException($"HTTP {(int)response.StatusCode} from {EndpointRedaction.Redact(url)}: {text}");
        }

        return body;
    }

    private string? RateLimitReason(byte[] body)
    {
        if (_venue is not null)
        {
            return _venue.RateLimitReason(body);
        }

        foreach (var venue in VenueRegistry.All)
        {
            if (venue.RateLimitReason(body) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();
}
