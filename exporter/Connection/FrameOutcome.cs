namespace Pipeline.Exporter.Connection;

/// <summary>What a frame meant for the connection's liveness and life cycle.</summary>
public enum FrameOutcome
{
    /// <summary>Trades were queued.</summary>
    Data,

    /// <summary>A keepalive answer (OKX "pong").</summary>
    Pong,

    /// <summary>A subscription was acknowledged.</summary>
    Subscribed,

    /// <summary>An acknowledgement, notice or other control frame with no action.</summary>
    Control,

    /// <summary>The server asks us to move (OKX 64008): open a new connection, then drop this one.</summary>
    Handover,

    /// <summary>The subscription was refused (OKX 60018 etc.): this connection is useless.</summary>
    Fatal,

    /// <summary>The frame was rejected into the quarantine.</summary>
    Quarantined,
}
