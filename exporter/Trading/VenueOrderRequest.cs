namespace Pipeline.Exporter.Trading;

/// <summary>
/// One order to send. <paramref name="Price"/> is the limit (post-only, IOC) or, for a market order, the reference price
/// the venue's filters need (min notional); <paramref name="Quantity"/> is in the base coin. <paramref name="ReduceOnly"/>
/// marks an exit, which must never open or grow a position.
/// </summary>
public sealed record VenueOrderRequest(
    string InstId,
    string ClientOrderId,
    VenueSide Side,
    VenueOrderType Type,
    decimal Quantity,
    decimal Price,
    bool ReduceOnly);
