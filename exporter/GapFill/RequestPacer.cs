namespace Pipeline.Exporter.GapFill;

/// <summary>Spaces REST requests of one exchange (shared by all fillers) to stay under the rate limit.</summary>
public sealed class RequestPacer(TimeSpan interval, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _last;

    public async Task WaitAsync(CancellationToken token)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        await _gate.WaitAsync(token);
        try
        {
            if (_last != 0)
            {
                var wait = interval - time.GetElapsedTime(_last);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, token);
                }
            }

            _last = time.GetTimestamp();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
