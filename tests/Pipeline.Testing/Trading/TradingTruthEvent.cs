namespace Pipeline.Testing.Trading;

/// <summary>
/// One line of the simulator's trading truth (<c>{truth}/trading/{account}.jsonl</c>, written by the simulator's
/// PrivateTruthLog): an order event (<see cref="Event"/> new, trade, canceled, expired) or a refusal ("refused", with
/// <see cref="Reason"/>). The fill fields are set on a "trade" line only.
/// </summary>
public sealed record TradingTruthEvent
{
    public required long Ts { get; init; }

    public required string Event { get; init; }

    public required string ClientOrderId { get; init; }

    public required string InstId { get; init; }

    public long? OrderId { get; init; }

    /// <summary>buy or sell.</summary>
    public string? Side { get; init; }

    /// <summary>postonly, market or ioc.</summary>
    public string? Type { get; init; }

    public decimal? Price { get; init; }

    public decimal? Qty { get; init; }

    /// <summary>new, partiallyfilled, filled, canceled, expired.</summary>
    public string? Status { get; init; }

    public decimal? Filled { get; init; }

    public long? TradeId { get; init; }

    public decimal? FillPx { get; init; }

    public decimal? FillQty { get; init; }

    /// <summary>maker or taker.</summary>
    public string? Liquidity { get; init; }

    public decimal? Fee { get; init; }

    public decimal? RealizedPnl { get; init; }

    /// <summary>The account's signed position in the instrument after the fill.</summary>
    public decimal? Position { get; init; }

    public decimal? EntryPx { get; init; }

    public decimal? Wallet { get; init; }

    /// <summary>Why the venue refused the order (a refused line only).</summary>
    public string? Reason { get; init; }

    public bool IsFill => Event == "trade";
}
