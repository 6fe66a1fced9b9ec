namespace Pipeline.Calculators.Tests.Contract;

/// <summary>One trade of a test series: price, base quantity, taker side.</summary>
public readonly record struct Fill(decimal Px, decimal Qty, bool Buy);
