namespace Pipeline.Jobs.Execution;

/// <summary>
/// A change of a paper order: a line of ledger/{strategy}/orders.jsonl.
/// Event: placed, filled, cancelled (an entry not crossed within its time-to-live, the other leg of an
/// exit pair once one fills, or both legs when the position exits at VWAP).
/// Kind: entry, take_profit, stop_loss, exit_vwap, exit_time, risk_flatten (its reason says which risk request). Type: post_only_limit, limit, stop_market, market.
/// Px is the limit price, the stop trigger, or (market) the minute close it executes at.
/// </summary>
public sealed record OrderEvent(
    long Ts,
    string OrderId,
    string? PositionId,
    string Event,
    string Kind,
    string Side,
    string Type,
    decimal Px,
    decimal Qty,
    long? ExpiresTs,
    string Reason);
