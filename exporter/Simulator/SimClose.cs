namespace Pipeline.Simulator;

/// <summary>
/// How one simulated WebSocket ended, seen from the server: the close code the client sent (1006 when the
/// connection ended without a client close frame, as a server would log it), and whether the server closed first.
/// </summary>
public sealed record SimClose(string ConnId, int ClientCode, bool ServerInitiated)
{
    /// <summary>RFC 6455 1006: closed without a close frame (reset, abort, timeout).</summary>
    public const int Abnormal = 1006;
}
