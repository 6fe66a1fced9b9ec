namespace Pipeline.Simulator.Faults;

/// <summary>A fault of one WebSocket connection, scheduled by the <see cref="FaultSpec"/> or triggered by <see cref="FaultTrigger"/>.</summary>
public enum ConnectionFault
{
    /// <summary>The server closes cleanly: close frame 1001 "simulated disconnect" after what is already queued.</summary>
    Disconnect,

    /// <summary>The server drops the TCP connection without a close frame.</summary>
    Abort,

    /// <summary>The connection goes silent and stays open: no data, no replies (not even a pong).</summary>
    Stall,
}
