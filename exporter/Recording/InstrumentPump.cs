using System.Threading.Channels;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// The bounded queue in front of one <see cref="InstrumentRecorder"/> and the loop that drains it.
/// Receive loops and REST fills post; one task writes. A full queue makes producers wait
/// (back-pressure onto the socket) rather than drop trades.
/// A write failure (disk full, a directory that cannot be written) stops only this instrument: it is
/// reported, its items are dropped while it cannot write (REST refills them: the state names the last id
/// on disk), and on ticks it retries with backoff (1 s doubling to a minute) by reopening from the disk.
/// The other instruments go on.
/// </summary>
public sealed class InstrumentPump
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    private readonly Channel<TradeItem> _channel;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private long _failedAt;
    private TimeSpan _retryDelay;
    private long _dropped;
    private volatile string? _failure;

    public InstrumentPump(InstrumentRecorder recorder, int capacity, ILogger? log = null, TimeProvider? time = null)
    {
        Recorder = recorder;
        _log = log ?? Log.Logger;
        _time = time ?? TimeProvider.System;
        _channel = Channel.CreateBounded<TradeItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public InstrumentRecorder Recorder { get; }

    /// <summary>The write failure this instrument is recovering from, or null while it writes.</summary>
    public string? Failure => _failure;

    /// <summary>Items dropped while the instrument could not write (REST refills the trades after recovery).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ValueTask PostAsync(in TradeItem item, CancellationToken token)
    {
        return _channel.Writer.TryWrite(item) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(item, token);
    }

    /// <summary>Posts without waiting; false when the queue is full or closed (ticks may be skipped).</summary>
    public bool TryPost(in TradeItem item) => _channel.Writer.TryWrite(item);

    /// <summary>No more items: the loop drains what is queued and ends.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Writes until <see cref="Complete"/> has been called and the queue is empty.</summary>
    public async Task RunAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    if (_failure is not null && !Recovered(item))
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    try
                    {
                        Recorder.Accept(item);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        Failed(ex);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Writer for {InstId} failed", Recorder.InstId);
            throw;
        }
    }

    private void Failed(Exception ex)
    {
        var first = _failure is null;
        _failure = ex.Message;
        _failedAt = _time.GetTimestamp();
        _retryDelay = first ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        if (first)
        {
            _log.Error("{Exchange} {InstId}: cannot write ({Error}); this instrument stops until it can (retrying, then REST refills what it missed); the others go on",
                Recorder.Spec.Exchange, Recorder.InstId, ex.Message);
        }
        else
        {
            _log.Warning("{Exchange} {InstId}: still cannot write ({Error}); next try in {Delay:F0} s",
                Recorder.Spec.Exchange, Recorder.InstId, ex.Message, _retryDelay.TotalSeconds);
        }
    }

    /// <summary>On a tick after the backoff: reopen from the disk. True when the instrument writes again.</summary>
    private bool Recovered(in TradeItem item)
    {
        if (item.Kind != TradeItemKind.Tick || _time.GetElapsedTime(_failedAt) < _retryDelay)
        {
            return false;
        }

        try
        {
            Recorder.Reopen();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Failed(ex);
            return false;
        }

        _log.Information("{Exchange} {InstId}: writing again after {Dropped} dropped items; REST fills what was missed",
            Recorder.Spec.Exchange, Recorder.InstId, Dropped);
        _failure = null;
        return true;
    }
}
