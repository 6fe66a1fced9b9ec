namespace Pipeline.Exporter.Binance;

/// <summary>What a Binance frame (or REST page) turned out to be.</summary>
public enum BinanceFrameKind
{
    Trades,
    Result,
    Error,
    Other,
    Malformed,
}
