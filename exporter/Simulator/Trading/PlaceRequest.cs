namespace Pipeline.Simulator.Trading;

/// <summary>A new order as the venue adapter parsed it; <see cref="Price"/> is ignored for a market order.</summary>
public sealed record PlaceRequest(string InstId, PrivateSide Side, PrivateOrderType Type, decimal Quantity, decimal Price, string? ClientOrderId);
