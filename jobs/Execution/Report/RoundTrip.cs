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
    /// <summary>An inverse contract: PnL and fees in the settlement coin, <see cref="Notional"/> in USD.</summary>
    public bool Inverse { get; init; }

    /// <summary>Currency of the PnL and fees (USDT, BTC, ...); null when the ledger did not record it.</summary>
    public string? PnlCcy { get; init; }

    /// <summary>The notional in the PnL currency at entry: the base of every "% of notional".</summary>
    public decimal PnlNotional => ContractPnl.PnlNotional(Inverse, Notional, EntryPx);

    /// <summary>Net PnL in % of notional (+0.56 for a default linear take-profit, −0.37 for a stop).</summary>
    public decimal NetReturnPct => ContractPnl.ReturnPct(Inverse, NetPnl, Notional, EntryPx);

    public TimeSpan Holding => TimeSpan.FromMilliseconds(ExitTs - EntryTs);
}
