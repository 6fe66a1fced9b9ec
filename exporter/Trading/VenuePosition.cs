namespace Pipeline.Exporter.Trading;

/// <summary>The account's net position: Quantity in the base coin, positive long, negative short, 0 flat; EntryPrice 0 when flat.</summary>
public sealed record VenuePosition(string InstId, decimal Quantity, decimal EntryPrice, decimal UnrealizedPnl, long UpdateMs);
