using System.Net;
using Polly;
using Polly.Retry;
using Serilog;

namespace Pipeline.Exporter.Rest;

/// <summary>
/// GET with rate-limit awareness: HTTP 429/418 (Binance, with Retry-After) and OKX code 50011 become
/// <see cref="RateLimitedException"/>, retried by a Polly pipeline with exponential backoff and jitter
/// (Retry-After wins when given); transient network and 5xx failures are retried the same way.
/// </summary>
public sealed class ExchangeRestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    public ExchangeRestClient(TimeProvider time, ILogger? log = null, int maxRetries = 8, TimeSpan? maxDelay = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _log = log ?? Log.Logger;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("pipeline-exporter/1.0");
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<RateLimitedException>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(ex => ex.InnerException is TimeoutException),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is RateLimitedException { RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    _log.Warning("REST retry {Attempt} in {Delay}: {Reason}", args.AttemptNumber + 1, args.RetryDelay,
                        args.Outcome.Exception?.Message);
                    if (args.Outcome.Exception is RateLimitedException)
                    {
                        Interlocked.Increment(ref _rateLimited);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
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

        if (body.AsSpan().IndexOf("\"code\":\"50011\""u8) >= 0)
        {
            throw new RateLimitedException($"OKX code 50011 (rate limit) from {EndpointRedaction.Redact(url.GetLeftPart(UriPartial.Path))}", (TimeSpan?)null);
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

    public void Dispose() => _http.Dispose();
}
