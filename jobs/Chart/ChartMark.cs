namespace Pipeline.Jobs.Chart;

/// <summary>
/// A fill drawn on the price chart. Kind: entry, take_profit, exit_vwap, exit_time or stop_loss (the fill's kind);
/// Direction: long or short (the position's).
/// </summary>
public sealed record ChartMark(long Ts, decimal Px, string Kind, string Direction, string PositionId)
{
    public bool IsEntry => Kind == "entry";
}
