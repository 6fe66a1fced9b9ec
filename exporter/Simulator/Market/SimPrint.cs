namespace Pipeline.Simulator.Market;

/// <summary>
/// The fills of one taker order at one price: an OKX <c>trades</c> message (tradeId = last fill id,
/// count = fills, seqId = <see cref="Ordinal"/>) or a Binance aggTrade (a = <see cref="Ordinal"/>,
/// f/l = <see cref="FirstId"/>/<see cref="LastId"/>).
/// </summary>
public readonly record struct SimPrint(
    long Ordinal, long Ts, long PriceUnits, long SizeUnits, bool Buy, int FillStart, int FillCount, long FirstId, long LastId);
