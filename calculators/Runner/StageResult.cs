namespace Pipeline.Calculators.Runner;

/// <summary>What one calculator did in one pass.</summary>
public sealed record StageResult(string Calc, long MinutesEmitted, long TradesRead, long NewLateTrades, OutputPosition? Output, TimeSpan Elapsed);
