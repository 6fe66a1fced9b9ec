namespace Pipeline.Jobs.Chart;

/// <summary>One minute of a price chart: the bar close, the strategy window's VWAP and its bands (null while the window is empty).</summary>
public sealed record ChartMinute(long MinuteMs, decimal Close, decimal? Vwap, decimal? Upper, decimal? Lower);
