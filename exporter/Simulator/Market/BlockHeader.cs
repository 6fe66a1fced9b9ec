namespace Pipeline.Simulator.Market;

/// <summary>
/// What can be known about a block without generating it: its fill, print and id-skip counts and its
/// regime. Cheap (a few hashes), so id prefix sums over days are quick.
/// </summary>
public readonly record struct BlockHeader(int Fills, int Prints, int Skips, MarketRegime Regime, int TrendSign);
