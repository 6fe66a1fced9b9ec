namespace Pipeline.Jobs.Execution;

/// <summary>One raw trade as the paper executor needs it: event time (Unix ms), price, base quantity,
/// taker side ("buy"/"sell") and the exchange's trade id (kept in fills for audit).</summary>
public readonly record struct TradeTick(long Ts, decimal Px, decimal Qty, string Side, string TradeId);
