namespace Pipeline.Exporter.Trading;

/// <summary>
/// One execution of an order. TradeId is the venue's id of the execution, unique per instrument (the executor records each
/// once by it); Quantity in the base coin; Fee is a cost (positive) in <paramref name="FeeCcy"/>; Ts is venue time.
/// </summary>
public sealed record VenueFill(
    string InstId,
    string TradeId,
    string ClientOrderId,
    string VenueOrderId,
    VenueSide Side,
    decimal Price,
    decimal Quantity,
    bool Maker,
    decimal Fee,
    string FeeCcy,
    long Ts);
