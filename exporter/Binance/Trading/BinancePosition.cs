namespace Pipeline.Exporter.Binance.Trading;

/// <summary>One row of GET /fapi/v3/positionRisk (one-way mode, positionSide BOTH): signed amount, entry, mark, unrealised PnL.</summary>
public sealed record BinancePosition(string Symbol, decimal PositionAmt, decimal EntryPrice, decimal MarkPrice, decimal UnrealizedProfit, long UpdateTimeMs);
