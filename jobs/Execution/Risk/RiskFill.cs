namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// A fill as the gate books it: base quantity at a price and its fee in the quote currency. PnL is valued linearly in
/// the quote currency (qty × price move), which for an inverse swap equals its coin PnL at the exit price.
/// </summary>
public readonly record struct RiskFill(long Ts, string FillId, string InstId, bool IsBuy, decimal Qty, decimal Px, decimal FeeQuote)
{
    /// <summary>A paper fill: its fee in quote is notional × rate for linear and inverse contracts alike.</summary>
    public static RiskFill From(FillEvent fill, string instId)
    {
        ArgumentNullException.ThrowIfNull(fill);
        return new RiskFill(fill.Ts, fill.FillId, instId, fill.Side == "buy", fill.Qty, fill.Px, fill.Notional * fill.FeeRate);
    }
}
