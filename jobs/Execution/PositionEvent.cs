namespace Pipeline.Jobs.Execution;

/// <summary>
/// A position opening or closing: a line of ledger/{strategy}/positions.jsonl. On close it
/// carries the round trip's result: gross PnL, both fees, net PnL (in <see cref="PnlCcy"/>) and net
/// return in % of the position's notional at entry (<see cref="ContractPnl.ReturnPct"/>). ExitReason: take_profit, stop_loss, exit_vwap, exit_time, risk_flatten (the risk gate flattened: kill switch, daily loss, auto-flatten time).
/// </summary>
public sealed record PositionEvent(
    long Ts,
    string PositionId,
    string Event,
    string Direction,
    decimal Qty,
    decimal Notional,
    decimal EntryPx,
    long EntryTs,
    decimal? ExitPx,
    string? ExitReason,
    decimal? GrossPnl,
    decimal Fees,
    decimal? NetPnl,
    decimal? NetReturnPct)
{
    /// <summary>An inverse contract (PnL and fees in the settlement coin).</summary>
    public bool Inverse { get; init; }

    /// <summary>Currency of <see cref="Notional"/> (USDT linear, USD inverse).</summary>
    public string? NotionalCcy { get; init; }

    /// <summary>Currency of the PnL and fees (USDT linear, BTC inverse).</summary>
    public string? PnlCcy { get; init; }
}
