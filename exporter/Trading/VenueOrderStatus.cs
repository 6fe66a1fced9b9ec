namespace Pipeline.Exporter.Trading;

/// <summary>An order's state. Canceled includes a post-only order the venue refused or canceled because it would have taken.</summary>
public enum VenueOrderStatus
{
    New,
    PartiallyFilled,
    Filled,
    Canceled,
    Rejected,
    Expired,
}
