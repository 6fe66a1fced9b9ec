namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// One row of GET /fapi/v1/userTrades (PROTOCOL.md "Private API"): the fill <see cref="Id"/> (per symbol), its order's
/// exchange id (no client id: Binance does not return it here), side, price, quantity, the commission in
/// <see cref="CommissionAsset"/>, the PnL it realised, maker or taker, and the exchange time.
/// </summary>
public sealed record BinanceUserTrade(
    string Symbol,
    long Id,
    long OrderId,
    string Side,
    decimal Price,
    decimal Qty,
    decimal QuoteQty,
    decimal Commission,
    string CommissionAsset,
    decimal RealizedPnl,
    bool Maker,
    long TimeMs);
