using Pipeline.Exporter.Recording;
using Serilog;

namespace Pipeline.Exporter.Connection;

/// <summary>What frame handlers share: the instruments' queues, the quarantine and error counters.</summary>
public sealed class FeedContext(IReadOnlyList<string> instIds, IReadOnlyList<InstrumentPump> pumps, Quarantine quarantine, ILogger log)
{
    private long _errors;

    public IReadOnlyList<string> InstIds { get; } = instIds;

    public IReadOnlyList<InstrumentPump> Pumps { get; } = pumps;

    public Quarantine Quarantine { get; } = quarantine;

    public ILogger Log { get; } = log;

    /// <summary>Error events received from the exchange (OKX event:error, Binance error replies).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public void CountError() => Interlocked.Increment(ref _errors);

    /// <summary>An exchange acknowledged the subscription of one instrument (ignored for an id not recorded here).</summary>
    public void MarkSubscribed(string? instId)
    {
        for (var i = 0; i < InstIds.Count; i++)
        {
            if (InstIds[i] == instId)
            {
                Pumps[i].TryPost(TradeItem.Control(TradeItemKind.Subscribed));
            }
        }
    }

    /// <summary>Every instrument is subscribed (a URL that subscribes on connect, Binance).</summary>
    public void MarkAllSubscribed()
    {
        foreach (var pump in Pumps)
        {
            pump.TryPost(TradeItem.Control(TradeItemKind.Subscribed));
        }
    }

    /// <summary>
    /// Quarantines a frame and counts it for its instrument (the first one when the frame names none).
    /// </summary>
    public void QuarantineFrame(string reason, ReadOnlySpan<byte> frame, int instrument)
    {
        Quarantine.Add(reason, frame, instrument >= 0 ? InstIds[instrument] : null);
        Pumps[instrument >= 0 ? instrument : 0].TryPost(TradeItem.Control(TradeItemKind.Quarantined));
    }
}
