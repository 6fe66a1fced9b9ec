namespace Pipeline.Jobs.Execution;

/// <summary>
/// A paper fill: a line of ledger/{strategy}/fills.jsonl. Notional is the strategy's notional in
/// <see cref="NotionalCcy"/>; the fee (maker or taker rate, <see cref="ContractPnl.Fee"/>) is in <see cref="FeeCcy"/>. TradeId is the raw trade that filled or triggered
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
    string? TradeId)
{
    /// <summary>An inverse contract (PnL and fees in the settlement coin); false for linear and for ledgers written before it was recorded.</summary>
    public bool Inverse { get; init; }

    /// <summary>Currency of <see cref="Notional"/> (USDT linear, USD inverse); null in ledgers written before it was recorded.</summary>
    public string? NotionalCcy { get; init; }

    /// <summary>Currency of <see cref="Fee"/> and of the PnL (USDT linear, BTC inverse); null in older ledgers.</summary>
    public string? FeeCcy { get; init; }
}
