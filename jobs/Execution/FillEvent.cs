namespace Pipeline.Jobs.Execution;

/// <summary>
/// A paper fill: a line of ledger/{strategy}/fills.jsonl. Fees are charged on the position's
/// notional (quote) at the maker or taker rate. TradeId is the raw trade that filled or triggered
/// the order (null for an exit at VWAP, which executes at the minute close).
/// </summary>
public sealed record FillEvent(
    long Ts,
    string FillId,
    string OrderId,
    string PositionId,
    string Kind,
    string Side,
    decimal Px,
    decimal Qty,
    decimal Notional,
    string Liquidity,
    decimal FeeRate,
    decimal Fee,
    string? TradeId);
