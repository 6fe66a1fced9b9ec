namespace Pipeline.Jobs.Strategies;

/// <summary>
/// A strategy's verdict on one minute before execution gates (position open, daily limits):
/// Long, Short or None with a human-readable reason, and the band values behind it.
/// </summary>
public sealed record StrategySignal(SignalAction Action, string Reason, decimal? Upper, decimal? Lower);
