using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Strategies;

/// <summary>
/// The indicator values of one closed minute [MinuteMs, MinuteMs+1m), available at MinuteMs+1m:
/// the bar close, the VWAP and sigma of the strategy's band window, ADX (null while warming up)
/// and the largest 5-second move in basis points. VWAP or sigma are null when the window holds
/// no trades.
/// </summary>
public sealed record MinuteInputs(long MinuteMs, decimal Close, decimal? Vwap, decimal? Sigma, decimal? Adx, decimal MaxMove5sBps)
{
    /// <summary>Event time at which the minute's values exist: the end of the minute.</summary>
    public long CloseTs => MinuteMs + TradeTime.MsPerMinute;

    public DateTimeOffset Minute => TradeTime.ToDateTimeOffset(MinuteMs);
}
