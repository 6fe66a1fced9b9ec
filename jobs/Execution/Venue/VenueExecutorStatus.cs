namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// A snapshot of a <see cref="VenueExecutor"/> for /health, /metrics and status: counters since start, the signed base
/// position, PnL and fees in the contract's PnL currency, the last decided minute, the wall time of the last step, the
/// last error (never a secret) and the halts in force (risk halts, "position mismatch").
/// </summary>
public sealed record VenueExecutorStatus(
    string StrategyId,
    string Venue,
    long OrdersSent,
    long OrdersRejected,
    long Fills,
    decimal Position,
    decimal RealizedPnl,
    decimal UnrealizedPnl,
    decimal FeesPaid,
    long? LastMinuteMs,
    DateTimeOffset? LastStepAt,
    string? LastError,
    IReadOnlyList<string> Halts);
