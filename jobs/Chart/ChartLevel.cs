namespace Pipeline.Jobs.Chart;

/// <summary>A resting order's price from when it was placed until it filled or was cancelled (Kind: stop_loss or take_profit).</summary>
public sealed record ChartLevel(long FromTs, long ToTs, decimal Px, string Kind, string PositionId);
