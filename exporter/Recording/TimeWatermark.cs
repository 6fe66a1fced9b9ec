namespace Pipeline.Exporter.Recording;

/// <summary>
/// What <see cref="InstrumentRecorder"/> needs to move a quiet instrument's watermark with time: the
/// connection's state as the writer has seen it, and the smallest (ts − recvTs) of recent live trades
/// (exchange clock minus local clock, less the worst delivery delay seen): local time + that offset is an
/// exchange time the tape has certainly passed. Two 60-s buckets keep the minimum recent without a list.
/// </summary>
internal struct TimeWatermark
{
    private const long BucketMs = 60_000;
    private long _current;
    private long _previous;
    private long _bucketStart;
    private bool _seen;

    /// <summary>The instrument's subscription is live on the current connection (ack or a live trade seen).</summary>
    public bool Subscribed;

    /// <summary>A (re)connect happened and its REST catch-up has not completed yet.</summary>
    public bool CatchUpPending;

    /// <summary>The current quiet stretch was logged.</summary>
    public bool QuietReported;

    /// <summary>Receive time (local UTC ms) of the last live trade.</summary>
    public long LastRecvTs;

    public long Advances;

    /// <summary>The mapping from local to exchange time, or null before the first live trade of this run.</summary>
    public readonly long? Offset => _seen ? Math.Min(_current, _previous) : null;

    /// <summary>A live trade: cheap (the hot path), no allocation.</summary>
    public void Observe(long ts, long recvTs)
    {
        var offset = ts - recvTs;
        LastRecvTs = recvTs;
        Subscribed = true;
        QuietReported = false;
        if (!_seen)
        {
            _seen = true;
            _current = _previous = offset;
            _bucketStart = recvTs;
        }
        else if (recvTs - _bucketStart >= BucketMs)
        {
            _previous = _current;
            _current = offset;
            _bucketStart = recvTs;
        }
        else if (offset < _current)
        {
            _current = offset;
        }
    }
}
