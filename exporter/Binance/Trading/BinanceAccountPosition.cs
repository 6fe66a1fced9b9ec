namespace Pipeline.Exporter.Binance.Trading;

/// <summary>One row of <c>a.P</c>: symbol <c>s</c>, signed amount <c>pa</c>, entry price <c>ep</c>, unrealised PnL <c>up</c>, side <c>ps</c> (BOTH in one-way mode).</summary>
public sealed record BinanceAccountPosition(string Symbol, decimal Amount, decimal EntryPrice, decimal UnrealizedPnl, string PositionSide);
