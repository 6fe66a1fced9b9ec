namespace Pipeline.Exporter.Trading;

/// <summary>
/// An order as the venue reports it (an acknowledgement, a query, an event). Price and Quantity are what the venue holds
/// (after rounding to its filters), quantities in the base coin; AveragePrice is 0 before the first fill; UpdateMs is
/// venue time; Reason carries the venue's word for a cancel or reject (e.g. "post-only would take"), never a secret.
/// </summary>
public sealed record VenueOrder(
    string InstId,
    string ClientOrderId,
    string VenueOrderId,
    VenueSide Side,
    VenueOrderType Type,
    decimal Price,
    decimal Quantity,
    decimal FilledQuantity,
    decimal AveragePrice,
    VenueOrderStatus Status,
    long UpdateMs,
    string? Reason = null)
{
    public bool IsOpen => Status is VenueOrderStatus.New or VenueOrderStatus.PartiallyFilled;
}
