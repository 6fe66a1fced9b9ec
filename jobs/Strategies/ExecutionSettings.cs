namespace Pipeline.Jobs.Strategies;

/// <summary>
/// How the paper executor trades a strategy's signals and the daily risk limits. Percentages are
/// as written in YAML (0.6 means 0.6 %); the *Rate properties are the fractions used in arithmetic.
/// </summary>
public sealed record ExecutionSettings
{
    public decimal TakeProfitPct { get; init; } = 0.6m;
    public decimal StopLossPct { get; init; } = 0.3m;

    /// <summary>Also close at the minute close (taker) when the close crosses back over VWAP.</summary>
    public bool ExitAtVwap { get; init; }

    public decimal MakerFeePct { get; init; } = 0.02m;
    public decimal TakerFeePct { get; init; } = 0.05m;

    /// <summary>Position size as quote notional (e.g. 1000 USDT; 1000 USD = 10 contracts of an inverse BTC-USD-SWAP); quantity = notional / entry price.</summary>
    public decimal Notional { get; init; } = 1000m;

    public int MaxTradesPerDay { get; init; } = 20;

    /// <summary>No more entries on a UTC day once its realised net loss reaches this % of notional.</summary>
    public decimal MaxDailyLossPct { get; init; } = 2m;

    /// <summary>How long the post-only entry limit rests before it is cancelled.</summary>
    public TimeSpan EntryTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The holding horizon (key <c>exitAfter</c>): at the first minute close at least this long after the entry fill, an
    /// open position is closed at that close (taker), unless take-profit or stop closed it first. Null: no time exit.
    /// </summary>
    public TimeSpan? ExitAfter { get; init; }

    public long? ExitAfterMs => ExitAfter is { } t ? (long)t.TotalMilliseconds : null;

    public decimal TakeProfitRate => TakeProfitPct / 100m;
    public decimal StopLossRate => StopLossPct / 100m;
    public decimal MakerFeeRate => MakerFeePct / 100m;
    public decimal TakerFeeRate => TakerFeePct / 100m;
    public long EntryTtlMs => (long)EntryTtl.TotalMilliseconds;

    /// <summary>Net result of a take-profit in % of notional: tp − 2·maker (+0.56 by default).</summary>
    public decimal NetWinPct => TakeProfitPct - (2 * MakerFeePct);

    /// <summary>Net result of a stop in % of notional, as a positive number: sl + maker + taker (0.37 by default).</summary>
    public decimal NetLossPct => StopLossPct + MakerFeePct + TakerFeePct;

    /// <summary>Win rate (%) at which take-profits and stops break even: loss / (win + loss) (39.78… by default).</summary>
    public decimal BreakEvenWinRatePct => NetLossPct / (NetWinPct + NetLossPct) * 100m;

    internal static ExecutionSettings Parse(YamlSection p, ExecutionSettings? strategyDefaults = null)
    {
        var defaults = strategyDefaults ?? new ExecutionSettings();
        return new ExecutionSettings
        {
            TakeProfitPct = p.Number("takeProfitPct", defaults.TakeProfitPct, v => v > 0 && v < 100, "0 < takeProfitPct < 100"),
            StopLossPct = p.Number("stopLossPct", defaults.StopLossPct, v => v > 0 && v < 100, "0 < stopLossPct < 100"),
            ExitAtVwap = p.Flag("exitAtVwap", defaults.ExitAtVwap),
            MakerFeePct = p.Number("makerFeePct", defaults.MakerFeePct, v => v > -1 && v < 10, "-1 < makerFeePct < 10 (negative = rebate)"),
            TakerFeePct = p.Number("takerFeePct", defaults.TakerFeePct, v => v >= 0 && v < 10, "0 <= takerFeePct < 10"),
            Notional = p.Number("notional", defaults.Notional, v => v > 0, "notional > 0 (quote currency, e.g. 1000 for 1000 USDT; USD for an inverse swap)"),
            MaxTradesPerDay = p.WholeNumber("maxTradesPerDay", defaults.MaxTradesPerDay, v => v >= 1, "maxTradesPerDay >= 1"),
            MaxDailyLossPct = p.Number("maxDailyLossPct", defaults.MaxDailyLossPct, v => v > 0 && v <= 100, "0 < maxDailyLossPct <= 100"),
            EntryTtl = p.Duration("entryTtl", defaults.EntryTtl, v => v >= TimeSpan.FromSeconds(1) && v <= TimeSpan.FromHours(1),
                "between 1s and 1h"),
            ExitAfter = ParseExitAfter(p, defaults.ExitAfter),
        };
    }

    /// <summary>A duration between 1m and 1 day, or "off" (no time exit).</summary>
    private static TimeSpan? ParseExitAfter(YamlSection p, TimeSpan? fallback)
    {
        if (p.OptionalString("exitAfter") is "off")
        {
            return null;
        }

        var value = p.Duration("exitAfter", fallback ?? TimeSpan.Zero, v => v >= TimeSpan.FromMinutes(1) && v <= TimeSpan.FromDays(1),
            "between 1m and 24h, or off");
        return value == TimeSpan.Zero ? null : value;
    }
}
