namespace Pipeline.Simulator.Trading;

/// <summary>A new order as the venue adapter parsed it; <see cref="Price"/> is ignored for a market order.</summary>
/// <summary>A new order; <paramref name="ReduceOnly"/>: refused when it would open or grow the position (Binance -2022, OKX 51169), and never fills past flat.</summary>
public sealed record PlaceRequest(string InstId, PrivateSide Side, PrivateOrderType Type, decimal Quantity, decimal Price, string? ClientOrderId, bool ReduceOnly = false);
