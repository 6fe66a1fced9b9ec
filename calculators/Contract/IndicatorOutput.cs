namespace Pipeline.Calculators.Contract;

/// <summary>One field of an indicator's minute line (after minute, exchange, instId) and its warm-up.</summary>
public sealed record IndicatorOutput(string Field, WarmUp WarmUp);
