namespace Pipeline.Jobs.Strategies.VwapMeanReversion;

/// <summary>Entry rule parameters of VWAP mean reversion (config/strategies/vwap_mean_reversion.yaml).</summary>
public sealed record VwapMeanReversionParameters
{
    public BandWindow BandWindow { get; init; } = BandWindow.OneHour;

    /// <summary>k in vwap ± k·sigma.</summary>
    public decimal BandMultiplier { get; init; } = 1.5m;

    /// <summary>The ADX period the calculators must use (the strategy reads their adx values).</summary>
    public int AdxPeriod { get; init; } = 14;

    /// <summary>Entries only while ADX &lt; this (trending markets break mean reversion).</summary>
    public decimal AdxMax { get; init; } = 20m;

    /// <summary>At or above this ADX nothing trades at all; between AdxMax and this: no new entries.</summary>
    public decimal AdxNoTrade { get; init; } = 40m;

    /// <summary>A minute whose largest 5-second move is at least this many bps halts entries.</summary>
    public decimal HaltMoveBps { get; init; } = 15m;

    public TimeSpan HaltDuration { get; init; } = TimeSpan.FromMinutes(10);

    internal static VwapMeanReversionParameters Parse(YamlSection p)
    {
        var d = new VwapMeanReversionParameters();
        var parameters = new VwapMeanReversionParameters
        {
            BandWindow = BandWindowText.Parse(p.Choice("bandWindow", BandWindowText.Of(d.BandWindow), "1h", "4h", "session")),
            BandMultiplier = p.Number("bandMultiplier", d.BandMultiplier, v => v > 0 && v <= 10, "0 < bandMultiplier <= 10"),
            AdxPeriod = p.WholeNumber("adxPeriod", d.AdxPeriod, v => v >= 2 && v <= 500, "2 <= adxPeriod <= 500"),
            AdxMax = p.Number("adxMax", d.AdxMax, v => v > 0 && v <= 100, "0 < adxMax <= 100"),
            AdxNoTrade = p.Number("adxNoTrade", d.AdxNoTrade, v => v > 0 && v <= 100, "0 < adxNoTrade <= 100"),
            HaltMoveBps = p.Number("haltMoveBps", d.HaltMoveBps, v => v > 0, "haltMoveBps > 0"),
            HaltDuration = p.Duration("haltDuration", d.HaltDuration, v => v >= TimeSpan.Zero && v <= TimeSpan.FromDays(1),
                "between 0s and 24h; whole minutes are usual"),
        };
        if (parameters.AdxNoTrade < parameters.AdxMax)
        {
            throw new StrategyConfigException(p.File, p.KeyOf("adxNoTrade"),
                $"{parameters.AdxNoTrade} is below adxMax {parameters.AdxMax}; adxNoTrade must be >= adxMax");
        }

        return parameters;
    }
}
