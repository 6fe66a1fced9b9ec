namespace Pipeline.Exporter.Trading;

/// <summary>Post-only limit (rests as maker or is refused: Binance LIMIT GTX, OKX post_only), market (taker), IOC limit (taker up to its price).</summary>
public enum VenueOrderType
{
    PostOnly,
    Market,
    Ioc,
}
