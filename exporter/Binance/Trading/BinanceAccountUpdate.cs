namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// One <c>ACCOUNT_UPDATE</c> of the user data stream: event time <c>E</c>, transaction time <c>T</c>, the reason <c>a.m</c>
/// (ORDER, FUNDING_FEE, ...) and the positions that changed (<c>a.P</c>; only changed symbols are sent).
/// </summary>
public sealed record BinanceAccountUpdate(long EventTimeMs, long TransactionTimeMs, string Reason, IReadOnlyList<BinanceAccountPosition> Positions);
