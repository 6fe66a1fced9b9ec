namespace Pipeline.Simulator.Binance;

/// <summary>The Binance USD-M WebSocket path a connection came in on (the 2026 routing split, PROTOCOLS 2.1).</summary>
public enum BinanceRoute
{
    /// <summary>/market/ws, /market/stream: aggTrade, markPrice, forceOrder.</summary>
    Market,

    /// <summary>/public/ws, /public/stream: bookTicker, depth.</summary>
    Public,

    /// <summary>/ws, /stream (no routed path): like /public; /market streams are ACKed and never delivered.</summary>
    Legacy,
}
