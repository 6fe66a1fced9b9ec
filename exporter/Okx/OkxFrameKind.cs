namespace Pipeline.Exporter.Okx;

/// <summary>What an OKX WebSocket frame (or REST page) turned out to be.</summary>
public enum OkxFrameKind
{
    Trades,
    Pong,
    Subscribed,
    Unsubscribed,
    Error,
    Notice,
    Other,
    Malformed,
}
