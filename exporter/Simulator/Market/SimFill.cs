namespace Pipeline.Simulator.Market;

/// <summary>
/// One maker match. <see cref="Id"/> is the OKX tradeId (consecutive) or the Binance underlying trade id.
/// </summary>
public readonly record struct SimFill(long Id, long Ts, long PriceUnits, long SizeUnits, bool Buy, int Print);
