namespace Pipeline.Simulator.Trading;

/// <summary>One execution of an order: price, quantity, maker or taker, the fee charged and the PnL it realised.</summary>
public sealed record PrivateFill(long TradeId, long Ts, decimal Price, decimal Quantity, bool Maker, decimal Fee, decimal RealizedPnl);
