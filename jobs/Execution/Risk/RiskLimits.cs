using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// The hard limits a <see cref="RiskGate"/> enforces for one strategy: the <c>risk:</c> section of its YAML file. Null
/// means "off". The defaults keep only the two limits that cost a normal run nothing (60 orders a minute; the 5-second
/// volatility halt of 0.15 % for 10 minutes); every money limit is off until set for the account.
/// </summary>
public sealed record RiskLimits
{
    public static readonly RiskLimits Default = new();

    /// <summary>
    /// Daily loss limit in the quote currency (USDT; USD for an inverse swap): realised net PnL of the UTC day plus
    /// the unrealised PnL of open positions at the live price; at −limit or worse, no new entries until the next UTC day.
    /// </summary>
    public decimal? DailyLossLimit { get; init; }

    /// <summary>Also flatten open positions when the daily loss limit is reached.</summary>
    public bool FlattenOnDailyLoss { get; init; }

    /// <summary>Largest absolute position per instrument in base units (BTC) after an order fills.</summary>
    public decimal? MaxPositionQty { get; init; }

    /// <summary>Largest absolute position notional per instrument (quote) at the live price, after an order fills.</summary>
    public decimal? MaxNotional { get; init; }

    /// <summary>Largest sum of absolute position notionals over every instrument of the strategy (quote).</summary>
    public decimal? MaxTotalNotional { get; init; }

    /// <summary>New orders allowed in any 60 s; the next one is blocked.</summary>
    public int? MaxOrdersPerMinute { get; init; } = 60;

    /// <summary>A move of at least this % between the lowest and highest live price within <see cref="VolatilityWindow"/> halts new orders.</summary>
    public decimal? VolatilityHaltPct { get; init; } = 0.15m;

    /// <summary>The volatility window: whole seconds, as the bars' maxMove5sBps ([s−4 s, s+1 s) for 5 s).</summary>
    public TimeSpan VolatilityWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a volatility halt lasts from the price that triggered it (a later spike restarts it).</summary>
    public TimeSpan VolatilityHaltFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>UTC windows without new orders ("Sun 23:00-23:30", daily "23:50-00:10").</summary>
    public IReadOnlyList<UtcRecurrence> Maintenance { get; init; } = [];

    /// <summary>UTC times at which open positions are flattened and pending entries cancelled ("23:55", "Fri 21:00").</summary>
    public IReadOnlyList<UtcRecurrence> FlattenAt { get; init; } = [];

    public decimal? VolatilityHaltRate => VolatilityHaltPct / 100m;

    /// <summary>Reads the <c>risk</c> section; a bad value names the key (exit 2 in the CLI).</summary>
    public static RiskLimits Parse(YamlSection risk)
    {
        ArgumentNullException.ThrowIfNull(risk);
        var d = Default;
        return new RiskLimits
        {
            DailyLossLimit = Optional(risk, "dailyLossLimit", d.DailyLossLimit, v => v > 0, "dailyLossLimit > 0 (quote currency, e.g. 50 for 50 USDT), or off"),
            FlattenOnDailyLoss = risk.Flag("flattenOnDailyLoss", d.FlattenOnDailyLoss),
            MaxPositionQty = Optional(risk, "maxPositionQty", d.MaxPositionQty, v => v > 0, "maxPositionQty > 0 (base units, e.g. 0.05 BTC), or off"),
            MaxNotional = Optional(risk, "maxNotional", d.MaxNotional, v => v > 0, "maxNotional > 0 (quote currency), or off"),
            MaxTotalNotional = Optional(risk, "maxTotalNotional", d.MaxTotalNotional, v => v > 0, "maxTotalNotional > 0 (quote currency), or off"),
            MaxOrdersPerMinute = risk.OptionalString("maxOrdersPerMinute") is "off"
                ? null
                : risk.WholeNumber("maxOrdersPerMinute", d.MaxOrdersPerMinute ?? 60, v => v is >= 1 and <= 10_000, "1 <= maxOrdersPerMinute <= 10000, or off"),
            VolatilityHaltPct = Optional(risk, "volatilityHaltPct", d.VolatilityHaltPct, v => v > 0 && v < 100, "0 < volatilityHaltPct < 100, or off"),
            VolatilityWindow = risk.Duration("volatilityWindow", d.VolatilityWindow, v => v >= TimeSpan.FromSeconds(1) && v <= TimeSpan.FromSeconds(60),
                "between 1s and 60s"),
            VolatilityHaltFor = risk.Duration("volatilityHaltFor", d.VolatilityHaltFor, v => v >= TimeSpan.FromSeconds(1) && v <= TimeSpan.FromHours(24),
                "between 1s and 24h"),
            Maintenance = Recurrences(risk, "maintenance", window: true),
            FlattenAt = Recurrences(risk, "flattenAt", window: false),
        };
    }

    private static decimal? Optional(YamlSection risk, string key, decimal? fallback, Func<decimal, bool> isValid, string rule) =>
        risk.OptionalString(key) switch
        {
            null => fallback,
            "off" => null,
            _ => risk.Number(key, 0m, isValid, rule),
        };

    private static List<UtcRecurrence> Recurrences(YamlSection risk, string key, bool window)
    {
        var result = new List<UtcRecurrence>();
        foreach (var (text, line) in risk.StringList(key))
        {
            var parsed = window ? UtcRecurrence.ParseWindow(text, out var error) : UtcRecurrence.ParseTime(text, out error);
            result.Add(parsed ?? throw risk.Problem(key, $"{error} (line {line})"));
        }

        return result;
    }
}
