namespace Pipeline.Exporter.Binance.Trading;

/// <summary>BUY or SELL.</summary>
public enum BinanceOrderSide
{
    Buy,
    Sell,
}
