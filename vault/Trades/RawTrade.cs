namespace Pipeline.Vault.Trades;

/// <summary>
/// One fill as stored in raw/{exchange}/trades_perps/{instId}/{day}.jsonl. Prices and sizes stay the
/// exact strings the exchange sent; <see cref="QtyBase"/> is computed with decimal arithmetic.
/// Keys are written in the declared order (DESIGN.md, "Raw trade line").
/// </summary>
public sealed record RawTrade
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required string TradeId { get; init; }

    /// <summary>Exchange event time, Unix ms (OKX ts, Binance T).</summary>
    public required long Ts { get; init; }

    public required string Px { get; init; }
    public required string Sz { get; init; }

    /// <summary>Taker side: buy or sell.</summary>
    public required string Side { get; init; }

    public required string CtVal { get; init; }
    public required string CtMult { get; init; }
    public required string CtType { get; init; }
    public required string CtValCcy { get; init; }
    public required string QtyBase { get; init; }

    /// <summary>Local receive time, Unix ms.</summary>
    public required long RecvTs { get; init; }

    /// <summary>ws, rest or archive.</summary>
    public required string Src { get; init; }

    /// <summary>OKX aggregated <c>trades</c> channel only: fills in the message.</summary>
    public int? Count { get; init; }

    /// <summary>Binance aggTrade: first underlying trade id.</summary>
    public long? FirstId { get; init; }

    /// <summary>Binance aggTrade: last underlying trade id.</summary>
    public long? LastId { get; init; }

    public DateOnly Day => TradeTime.Day(Ts);
}
