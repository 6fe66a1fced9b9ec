using System.Text.Json;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Strategies.MicroMeanReversion;

/// <summary>
/// micro_mr, microstructure mean reversion on closed minutes: fade an order-flow push whose last trade overshot the
/// micro-price. SHORT when ofiZ ≥ +ofiZEntry (buying pressure) and divergenceZ ≤ −divergenceZEntry (the last trade
/// printed above the micro-price: the book's fair value is below it); LONG in the mirror case. Risk filters block
/// an entry, in this order (the first that applies is the reason): VPIN unknown or ≥ vpinMax (toxic flow), Kyle's λ
/// unknown or ≥ kyleLambdaMax (when set), either side's depth unknown or below minDepth (when set). Before the signal:
/// no micro line for the minute (no quotes/book recorded), z-scores still warming up. The exit is the engine's
/// (take-profit, stop, and the horizon <see cref="ExecutionSettings.ExitAfter"/>, 1 minute by default). No memory
/// between minutes: the decision depends only on the minute's values.
/// </summary>
public sealed class MicroMeanReversionStrategy(MicroMeanReversionParameters parameters) : IStrategy
{
    public const string StrategyName = "micro_mr";

    public string Name => StrategyName;

    public MicroMeanReversionParameters Parameters { get; } = parameters;

    public StrategySignal Evaluate(MinuteInputs minute)
    {
        ArgumentNullException.ThrowIfNull(minute);
        if (minute.Micro is not { } m)
        {
            return None("no micro data: no quotes or book recorded for this minute");
        }

        if (m.OfiZ is not { } ofiZ || m.DivergenceZ is not { } divZ)
        {
            var missing = new List<string>(2);
            if (m.OfiZ is null)
            {
                missing.Add("ofi z");
            }

            if (m.DivergenceZ is null)
            {
                missing.Add("divergence z");
            }

            return None($"warming up: {string.Join(" and ", missing)} not known yet (null while the baseline fills, or flat)");
        }

        var p = Parameters;
        var zs = $"ofi z {Z(ofiZ)}, divergence z {Z(divZ)}";
        bool isLong;
        string why;
        if (ofiZ >= p.OfiZEntry && divZ <= -p.DivergenceZEntry)
        {
            isLong = false;
            why = $"fade buying: ofi z {Z(ofiZ)} ≥ {Text(p.OfiZEntry)} and divergence z {Z(divZ)} ≤ −{Text(p.DivergenceZEntry)}";
        }
        else if (ofiZ <= -p.OfiZEntry && divZ >= p.DivergenceZEntry)
        {
            isLong = true;
            why = $"fade selling: ofi z {Z(ofiZ)} ≤ −{Text(p.OfiZEntry)} and divergence z {Z(divZ)} ≥ {Text(p.DivergenceZEntry)}";
        }
        else
        {
            return None($"no signal: {zs}");
        }

        if (Blocked(m, minute.KyleLambda) is { } blocked)
        {
            return None($"{(isLong ? "long" : "short")} blocked: {blocked} ({zs})");
        }

        return new StrategySignal(isLong ? SignalAction.EnterLong : SignalAction.EnterShort, why, null, null);
    }

    /// <summary>The first risk filter that blocks an entry, or null.</summary>
    private string? Blocked(MicroInputs m, decimal? lambda)
    {
        var p = Parameters;
        if (m.Vpin is not { } vpin)
        {
            return "vpin not known yet (fewer complete volume buckets than the window)";
        }

        if (vpin >= p.VpinMax)
        {
            return $"vpin {Z(vpin)} ≥ {Text(p.VpinMax)}: toxic flow";
        }

        if (p.KyleLambdaMax is { } lambdaMax)
        {
            if (lambda is not { } l)
            {
                return "kyle λ not known yet";
            }

            if (l >= lambdaMax)
            {
                return $"kyle λ {Text(Math.Round(l, 8, MidpointRounding.ToZero))} ≥ {Text(lambdaMax)}: high price impact";
            }
        }

        if (p.MinDepth is { } minDepth)
        {
            if (m.BidDepth is not { } bid || m.AskDepth is not { } ask)
            {
                return "book depth unknown (no book, or resyncing)";
            }

            if (Math.Min(bid, ask) < minDepth)
            {
                return $"thin book: depth bid {Text(bid)} / ask {Text(ask)} < {Text(minDepth)}";
            }
        }

        return null;
    }

    public JsonElement? SaveState() => null;

    public void RestoreState(JsonElement? state)
    {
        // stateless: every decision depends only on its minute
    }

    private static StrategySignal None(string reason) => new(SignalAction.None, reason, null, null);

    /// <summary>Two decimals, truncated so "≥ 2" is never rounded into truth.</summary>
    private static string Z(decimal value) => Text(Math.Round(value, 2, MidpointRounding.ToZero));

    private static string Text(decimal value) => ExactDecimal.Format(value);
}
