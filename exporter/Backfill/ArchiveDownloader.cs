using System.Net;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;
using Polly;
using Serilog;

namespace Pipeline.Exporter.Backfill;

/// <summary>
/// Downloads archive files to a temp file (streamed, never whole in memory), retrying network errors,
/// timeouts, 5xx and 429 with exponential backoff and jitter (the Polly pipeline of <see cref="ResilientHttp"/>). 404 means "no such file":
/// <see cref="ArchiveUnavailableException"/>, not retried.
/// </summary>
public sealed class ArchiveDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly string _tempDir;

    public ArchiveDownloader(string tempDir, TimeProvider time, ILogger log, int maxRetries, TimeSpan maxDelay, VenueDefaults? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _tempDir = tempDir;
        if (Directory.Exists(tempDir))
        {
            // Leftovers of an interrupted run (kill -9 mid-download).
            foreach (var stale in Directory.EnumerateFiles(tempDir, "*.part"))
            {
                File.Delete(stale);
            }
        }

        _http = ResilientHttp.CreateClient(defaults?.ArchiveTimeout ?? TimeSpan.FromMinutes(10), "pipeline-backfill/1.0");
        _pipeline = ResilientHttp.CreateRetry(time,
            new PredicateBuilder()
                .Handle<HttpRequestException>()
                .Handle<IOException>()
                .Handle<TaskCanceledException>(ex => ex.InnerException is TimeoutException),
            maxRetries, defaults?.RetryBaseDelay ?? TimeSpan.FromMilliseconds(200), maxDelay,
            args =>
            {
                log.Warning("Archive download retry {Attempt} in {Delay}: {Reason}", args.AttemptNumber + 1, args.RetryDelay,
                    args.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>Bytes downloaded so far (all files).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    private long _bytes;

    /// <summary>Downloads <paramref name="url"/> to a new temp file and returns its path (the caller deletes it).</summary>
    public async Task<string> DownloadAsync(Uri url, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(url);
        Directory.CreateDirectory(_tempDir);
        var path = Path.Combine(_tempDir, Guid.NewGuid().ToString("N") + ".part");
        try
        {
            await _pipeline.ExecuteAsync(async t => await DownloadOnceAsync(url, path, t), token);
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>A small text file (a .CHECKSUM) as a string.</summary>
    public async Task<string> GetTextAsync(Uri url, CancellationToken token)
    {
        var path = await DownloadAsync(url, token);
        try
        {
            return await File.ReadAllTextAsync(path, token);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task DownloadOnceAsync(Uri url, string path, CancellationToken token)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ArchiveUnavailableException($"no archive file at {url} (HTTP 404)");
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} from {url}", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new BackfillDayException($"HTTP {(int)response.StatusCode} from {url}");
        }

        await using var source = await response.Content.ReadAsStreamAsync(token);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await source.ReadAsync(buffer, token)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, n), token);
            Interlocked.Add(ref _bytes, n);
        }

        if (response.Content.Headers.ContentLength is { } expected && file.Length != expected)
        {
            throw new IOException($"download of {url} ended after {file.Length} of {expected} bytes");
        }
    }

    public void Dispose() => _http.Dispose();
}
