using System.Threading.Channels;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// The bounded queue in front of one <see cref="InstrumentRecorder"/> and the loop that drains it.
/// Receive loops and REST fills post; one task writes. A full queue makes producers wait
/// (back-pressure onto the socket) rather than drop trades.
/// </summary>
public sealed class InstrumentPump
{
    private readonly Channel<TradeItem> _channel;
    private readonly ILogger _log;

    public InstrumentPump(InstrumentRecorder recorder, int capacity, ILogger? log = null)
    {
        Recorder = recorder;
        _log = log ?? Log.Logger;
        _channel = Channel.CreateBounded<TradeItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public InstrumentRecorder Recorder { get; }

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
                    Recorder.Accept(item);
                }
            }
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Writer for {InstId} failed", Recorder.InstId);
            throw;
        }
    }
}
