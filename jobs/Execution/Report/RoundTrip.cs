namespace Pipeline.Jobs.Execution.Report;

/// <summary>One closed position rebuilt from its entry and exit fills.</summary>
public sealed record RoundTrip(
    string PositionId,
    string Direction,
    long EntryTs,
    decimal EntryPx,
    long ExitTs,
    decimal ExitPx,
    string ExitReason,
    decimal Notional,
    decimal GrossPnl,
    decimal Fees,
    decimal NetPnl)
{
    /// <summary>Net PnL in % of notional (+0.56 for a default take-profit, −0.37 for a stop).</summary>
    public decimal NetReturnPct => NetPnl / Notional * 100m;

    public TimeSpan Holding => TimeSpan.FromMilliseconds(ExitTs - EntryTs);
}
