namespace Pipeline.Exporter.Recording;

/// <summary>What an item on an instrument's queue asks the writer to do.</summary>
public enum TradeItemKind : byte
{
    Trade = 0,

    /// <summary>Periodic: sync files when due, write state, check open holes.</summary>
    Tick = 1,

    /// <summary>A REST fill of ids (From, To) completed: ids in that range still absent do not exist.</summary>
    FillDone = 2,

    /// <summary>Connection events for counters and state (reconnects, connected, disconnected).</summary>
    Reconnected = 3,
    Connected = 4,
    Disconnected = 5,

    /// <summary>A frame for this instrument was quarantined.</summary>
    Quarantined = 6,

    /// <summary>
    /// REST's newest trade at subscribe time (FirstId = its id, LastId = its ts): the baseline when no id is
    /// known yet, so an outage before the instrument's first live trade is still fillable.
    /// </summary>
    Baseline = 7,

    /// <summary>
    /// An open-ended REST catch-up after a (re)connect failed: what was traded meanwhile is unproven.
    /// FirstId 1 = it is retried (the watermark waits), 0 = history did not reach back (a known gap, final).
    /// </summary>
    CatchUpFailed = 8,

    /// <summary>An open-ended REST catch-up completed: everything up to now is on the queue.</summary>
    CatchUpDone = 9,

    /// <summary>The exchange acknowledged this instrument's subscription on the current connection.</summary>
    Subscribed = 20,

    /// <summary>The connection answered a ping sent at local UTC ms <c>Ts</c>: it delivered everything before.</summary>
    Alive = 21,
}
