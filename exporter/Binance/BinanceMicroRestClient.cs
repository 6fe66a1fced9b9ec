using System.Globalization;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Rest;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// The two REST calls of the Binance microstructure recorder, on the exporter's retrying client
/// (<see cref="ResilientHttp.Rest"/>: 429/418 with Retry-After, 5xx and timeouts retried) and a pacer:
/// the depth snapshot that (re)starts a book (<c>GET /fapi/v1/depth?symbol=X&amp;limit=1000</c>, weight 20) and the
/// open-interest poll (<c>GET /fapi/v1/openInterest?symbol=X</c>, weight 1). A malformed or error answer throws
/// <see cref="RestRequestException"/> with the cause.
/// </summary>
public sealed class BinanceMicroRestClient(Uri restBase, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time)
{
    /// <summary>The snapshot depth: the documented procedure fetches 1000 levels.</summary>
    public const int DepthLimit = 1000;

    /// <summary>A book snapshot of <paramref name="symbol"/> (seq = lastUpdateId, src rest).</summary>
    public async Task<BookRecord> FetchDepthSnapshotAsync(string symbol, CancellationToken token)
    {
        var url = new Uri(restBase, "/fapi/v1/depth?symbol=" + Uri.EscapeDataString(symbol) + "&limit=" + DepthLimit.ToString(CultureInfo.InvariantCulture));
        var body = await GetAsync(url, token);
        return BinanceMicroRest.TryParseDepthSnapshot(body, symbol, time.GetUtcNow().ToUnixTimeMilliseconds(), out var snapshot, out var problem)
            ? snapshot!
            : throw new RestRequestException($"Binance depth {EndpointRedaction.Redact(url)}: {problem}");
    }

    /// <summary>The present open interest of <paramref name="symbol"/> (channel openInterest, src rest).</summary>
    public async Task<DerivativesRecord> FetchOpenInterestAsync(string symbol, CancellationToken token)
    {
        var url = new Uri(restBase, "/fapi/v1/openInterest?symbol=" + Uri.EscapeDataString(symbol));
        var body = await GetAsync(url, token);
        return BinanceMicroRest.TryParseOpenInterest(body, time.GetUtcNow().ToUnixTimeMilliseconds(), out var record, out var problem)
            ? record!
            : throw new RestRequestException($"Binance openInterest {EndpointRedaction.Redact(url)}: {problem}");
    }

    /// <summary>
    /// Polls the open interest of every symbol now and then every <paramref name="interval"/> (on the client's clock)
    /// until <paramref name="token"/> is cancelled. A record is posted only when its <c>time</c> is later than the last
    /// one posted for that symbol (an unchanged answer is not a new observation). A failed poll (after the client's
    /// retries) goes to <paramref name="failed"/> and polling goes on: one bad answer must not stop the schedule.
    /// </summary>
    public async Task PollOpenInterestAsync(IReadOnlyList<string> symbols, TimeSpan interval,
        Func<DerivativesRecord, CancellationToken, ValueTask> post, Action<string, Exception> failed, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            foreach (var symbol in symbols)
            {
                DerivativesRecord record;
                try
                {
                    record = await FetchOpenInterestAsync(symbol, token);
                }
                catch (Exception ex) when (ex is RestRequestException or HttpRequestException or RateLimitedException ||
                    (ex is TaskCanceledException && !token.IsCancellationRequested))
                {
                    failed(symbol, ex);
                    continue;
                }

                if (last.TryGetValue(symbol, out var previous) && record.Ts <= previous)
                {
                    continue;
                }

                last[symbol] = record.Ts;
                await post(record, token);
            }
        }
        while (await timer.WaitForNextTickAsync(token));
    }

    private async Task<byte[]> GetAsync(Uri url, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(pacer);
        await pacer.WaitAsync(token);
        return await rest.GetAsync(url, token);
    }
}
