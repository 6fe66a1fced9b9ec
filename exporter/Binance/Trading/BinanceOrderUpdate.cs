namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// One <c>ORDER_TRADE_UPDATE</c> of the user data stream (the <c>o</c> object): <see cref="ExecutionType"/> (<c>x</c>) NEW, TRADE,
/// CANCELED, EXPIRED; <see cref="Status"/> (<c>X</c>) the order's state after it. On a TRADE, <see cref="LastQty"/>/<see cref="LastPrice"/>
/// (<c>l</c>/<c>L</c>) are this fill, <see cref="Fee"/> (<c>n</c>, in <see cref="FeeAsset"/> <c>N</c>) its commission, <see cref="IsMaker"/>
/// (<c>m</c>) its liquidity and <see cref="TradeId"/> (<c>t</c>) the exchange's id to count it once.
/// </summary>
public sealed record BinanceOrderUpdate(
    long EventTimeMs,
    long TransactionTimeMs,
    string Symbol,
    string ClientOrderId,
    long OrderId,
    string Side,
    string ExecutionType,
    string Status,
    decimal LastQty,
    decimal LastPrice,
    decimal CumulativeQty,
    decimal Fee,
    string FeeAsset,
    bool IsMaker,
    long TradeId,
    decimal RealizedPnl)
{
    /// <summary>The order's quantity (<c>q</c>).</summary>
    public decimal OrigQty { get; init; }

    /// <summary>The order's limit price (<c>p</c>; 0 for MARKET).</summary>
    public decimal Price { get; init; }

    /// <summary>The average fill price so far (<c>ap</c>).</summary>
    public decimal AvgPrice { get; init; }

    /// <summary>The order type (<c>o</c>): LIMIT, MARKET, ...</summary>
    public string OrderType { get; init; } = "";

    /// <summary>The time in force (<c>f</c>): GTX (post-only), IOC, GTC, ...</summary>
    public string TimeInForce { get; init; } = "";

    /// <summary>The update carries a fill (x = TRADE).</summary>
    public bool IsFill => ExecutionType == "TRADE";
}
