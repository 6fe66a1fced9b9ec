namespace Pipeline.Calculators.Contract;

/// <summary>Warm-up questions answered from an indicator's declaration.</summary>
public static class IndicatorWarmUp
{
    /// <summary>Minutes of bars after which every fixed-length output is warm (session outputs wait for a whole session).</summary>
    public static int WarmUpMinutes(this IIndicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return indicator.Outputs.Max(o => o.WarmUp.Minutes);
    }

    /// <summary>The declared warm-up of <paramref name="field"/>.</summary>
    public static WarmUp WarmUpOf(this IIndicator indicator, string field)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return indicator.Outputs.FirstOrDefault(o => o.Field == field)?.WarmUp
            ?? throw new ArgumentException($"{indicator.Name} has no output '{field}'", nameof(field));
    }
}
