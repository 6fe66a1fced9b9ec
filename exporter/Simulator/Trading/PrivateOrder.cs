namespace Pipeline.Simulator.Trading;

public enum PrivateSide
{
    Buy,
    Sell,
}

/// <summary>Post-only limit (rests as maker or is rejected), market (taker, walks the book), IOC limit (taker up to its price).</summary>
public enum PrivateOrderType
{
    PostOnly,
    Market,
    Ioc,
}

public enum PrivateOrderStatus
{
    New,
    PartiallyFilled,
    Filled,
    Canceled,
    Expired,
}

/// <summary>
/// An order's state at one moment (an immutable snapshot; the exchange replaces it on every change).
/// Prices and quantities are exact decimals in the instrument's units (Binance: quote price, base quantity).
/// </summary>
public sealed record PrivateOrder
{
    public required long OrderId { get; init; }

    public required string ClientOrderId { get; init; }

    public required string Account { get; init; }

    public required string InstId { get; init; }

    public required PrivateSide Side { get; init; }

    public required PrivateOrderType Type { get; init; }

    /// <summary>The limit price (0 for a market order).</summary>
    public required decimal Price { get; init; }

    public required decimal Quantity { get; init; }

    public decimal FilledQuantity { get; init; }

    /// <summary>Σ price × quantity of the fills (quote value), for the average price.</summary>
    public decimal FilledQuote { get; init; }

    public PrivateOrderStatus Status { get; init; } = PrivateOrderStatus.New;

    public required long CreatedMs { get; init; }

    public long UpdatedMs { get; init; }

    /// <summary>A post-only order the engine canceled at placement because it would take (OKX cancelSource 31).</summary>
    public bool PostOnlyCanceled { get; init; }

    /// <summary>A reduce-only order: it never fills past flat (the rest is canceled).</summary>
    public bool ReduceOnly { get; init; }

    public decimal Remaining => Quantity - FilledQuantity;

    public decimal AveragePrice => FilledQuantity == 0 ? 0 : FilledQuote / FilledQuantity;

    public bool IsOpen => Status is PrivateOrderStatus.New or PrivateOrderStatus.PartiallyFilled;
}
