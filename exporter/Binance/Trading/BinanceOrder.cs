namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// An order as Binance's order endpoints return it: <c>status</c> NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED;
/// prices and quantities exact (decimal parsed from Binance's strings); <see cref="UpdateTimeMs"/> exchange ms.
/// </summary>
public sealed record BinanceOrder(
    string Symbol,
    long OrderId,
    string ClientOrderId,
    string Status,
    string Side,
    string Type,
    string TimeInForce,
    decimal Price,
    decimal OrigQty,
    decimal ExecutedQty,
    decimal AvgPrice,
    long UpdateTimeMs)
{
    /// <summary>NEW or PARTIALLY_FILLED: still resting on the book.</summary>
    public bool IsOpen => Status is "NEW" or "PARTIALLY_FILLED";
}
