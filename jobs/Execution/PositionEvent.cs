namespace Pipeline.Jobs.Execution;

/// <summary>
/// A position opening or closing: a line of ledger/{strategy}/positions.jsonl. On close it
/// carries the round trip's result: gross PnL, both fees, net PnL (quote) and net return in %
/// of notional. ExitReason: take_profit, stop_loss, exit_vwap.
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
    decimal? NetReturnPct);
