namespace Pipeline.Calculators.Bars;

/// <summary>One bars_1m minute (README, "Calculators"). Quiet minutes carry the last close and zero volume.</summary>
public sealed record BarRecord
{
    /// <summary>Minute start, Unix ms.</summary>
    public required long Minute { get; init; }
    public required decimal Open { get; init; }
    public required decimal High { get; init; }
    public required decimal Low { get; init; }
    public required decimal Close { get; init; }
    public required long Trades { get; init; }
    public required decimal VolBase { get; init; }
    public required decimal VolQuote { get; init; }
    public required decimal BuyVolBase { get; init; }
    public required decimal SellVolBase { get; init; }
    public required decimal SumPx2Qty { get; init; }
    public string? FirstTradeId { get; init; }
    public string? LastTradeId { get; init; }
    public required decimal MaxMove5sBps { get; init; }
}
