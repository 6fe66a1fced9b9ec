namespace Pipeline.Jobs.Execution.Report;

/// <summary>Cumulative net PnL (quote) after the round trip that closed at <see cref="Ts"/>.</summary>
public sealed record EquityPoint(long Ts, decimal CumulativeNetPnl);
