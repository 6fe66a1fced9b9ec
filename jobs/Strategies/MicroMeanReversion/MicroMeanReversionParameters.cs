namespace Pipeline.Jobs.Strategies.MicroMeanReversion;

/// <summary>Entry and risk-filter parameters of micro_mr (config/strategies/micro_mr.yaml).</summary>
public sealed record MicroMeanReversionParameters
{
    /// <summary>|ofiZ| at or beyond this is an order-flow push worth fading.</summary>
    public decimal OfiZEntry { get; init; } = 2m;

    /// <summary>|divergenceZ| at or beyond this, on the side opposite the push: the last trade overshot the micro-price.</summary>
    public decimal DivergenceZEntry { get; init; } = 2m;

    /// <summary>VPIN at or above this blocks entries (toxic, informed flow: the move may not revert).</summary>
    public decimal VpinMax { get; init; } = 0.6m;

    /// <summary>Kyle's λ at or above this blocks entries (high price impact); null: not used (λ's unit is the instrument's).</summary>
    public decimal? KyleLambdaMax { get; init; }

    /// <summary>Book size within the depth band (base units) below this on either side blocks entries; null: not used.</summary>
    public decimal? MinDepth { get; init; }

    /// <summary>
    /// micro_mr's execution defaults (every key can still be set): a 1-minute horizon exit, a short-lived entry and
    /// take-profit/stop scaled to a one-minute move rather than VWAP reversion's 0.6 / 0.3 %.
    /// </summary>
    public static ExecutionSettings ExecutionDefaults { get; } = new()
    {
        ExitAfter = TimeSpan.FromMinutes(1),
        EntryTtl = TimeSpan.FromSeconds(30),
        TakeProfitPct = 0.1m,
        StopLossPct = 0.1m,
    };

    internal static MicroMeanReversionParameters Parse(YamlSection p)
    {
        var d = new MicroMeanReversionParameters();
        return new MicroMeanReversionParameters
        {
            OfiZEntry = p.Number("ofiZEntry", d.OfiZEntry, v => v > 0 && v <= 50, "0 < ofiZEntry <= 50"),
            DivergenceZEntry = p.Number("divergenceZEntry", d.DivergenceZEntry, v => v > 0 && v <= 50, "0 < divergenceZEntry <= 50"),
            VpinMax = p.Number("vpinMax", d.VpinMax, v => v > 0 && v <= 1, "0 < vpinMax <= 1 (VPIN is a fraction)"),
            KyleLambdaMax = Optional(p, "kyleLambdaMax", v => v > 0, "kyleLambdaMax > 0, or off"),
            MinDepth = Optional(p, "minDepth", v => v > 0, "minDepth > 0 (base units within the depth band), or off"),
        };
    }

    /// <summary>A positive number, or absent / "off": not used.</summary>
    private static decimal? Optional(YamlSection p, string key, Func<decimal, bool> isValid, string rule)
    {
        if (p.OptionalString(key) is null or "off")
        {
            return null;
        }

        return p.Number(key, 0m, isValid, rule);
    }
}
