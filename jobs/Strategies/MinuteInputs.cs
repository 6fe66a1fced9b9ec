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
    /// <summary>
    /// Minutes the bar series covers up to and including this one (from its first bar; a gap counts), so a
    /// warming-up reason can say how far it has got; null when unknown.
    /// </summary>
    public long? SeriesMinutes { get; init; }

    /// <summary>
    /// Whether the band window's outputs are past their warm-up (the calculator writes the window's trade count,
    /// null while warming up): false = warming up, true = warm (a null VWAP then means no trades); null = unknown.
    /// </summary>
    public bool? WindowWarm { get; init; }

    /// <summary>
    /// The minute's microstructure indicators; null when the instrument has no quotes or book recorded for this minute
    /// (the micro stage wrote no line), or when the strategy does not read them (<see cref="StrategyConfig.UsesMicro"/>).
    /// </summary>
    public MicroInputs? Micro { get; init; }

    /// <summary>Kyle's λ of the minute (kyle.lambda: price change per unit of signed volume); null while warming up or not read.</summary>
    public decimal? KyleLambda { get; init; }

    /// <summary>Event time at which the minute's values exist: the end of the minute.</summary>
    public long CloseTs => MinuteMs + TradeTime.MsPerMinute;

    public DateTimeOffset Minute => TradeTime.ToDateTimeOffset(MinuteMs);
}
