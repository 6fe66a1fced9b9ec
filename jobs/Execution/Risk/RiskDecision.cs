namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// The gate's answer: allowed, or blocked by <see cref="Limit"/> (kill_switch, daily_loss, volatility, maintenance,
/// orders_per_minute, position_qty, notional, total_notional) with a reason for the signal log.
/// </summary>
public readonly record struct RiskDecision(bool Allowed, string? Limit, string? Reason)
{
    public static readonly RiskDecision Allow = new(true, null, null);

    public static RiskDecision Block(string limit, string reason) => new(false, limit, reason);
}
