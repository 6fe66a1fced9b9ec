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

    /// <summary>An open-ended REST catch-up after a (re)connect failed: what was traded meanwhile is unproven.</summary>
    CatchUpFailed = 8,

    /// <summary>An open-ended REST catch-up completed: everything up to now is on the queue.</summary>
    CatchUpDone = 9,
}
