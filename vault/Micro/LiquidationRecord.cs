namespace Pipeline.Vault.Micro;

/// <summary>
/// A forced liquidation order as one line of <c>liquidations_perps</c>. <see cref="Side"/> is the liquidation
/// order's side (a long position is liquidated by a sell). Decimals are the exchange's strings.
/// Dedup key: (<see cref="Ts"/>, <see cref="Side"/>, <see cref="Px"/>, <see cref="Sz"/>).
/// </summary>
public sealed record LiquidationRecord
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }

    /// <summary>Exchange event time, Unix ms (Binance order trade time <c>T</c>, OKX detail <c>ts</c>).</summary>
    public required long Ts { get; init; }

    /// <summary>buy or sell: the side of the liquidation order.</summary>
    public required string Side { get; init; }

    /// <summary>Price (Binance order price <c>p</c>, OKX bankruptcy price <c>bkPx</c>).</summary>
    public required string Px { get; init; }

    /// <summary>Size in the exchange's unit (Binance quantity in base, OKX contracts).</summary>
    public required string Sz { get; init; }

    /// <summary>Binance average fill price <c>ap</c>; null elsewhere.</summary>
    public string? AvgPx { get; init; }

    /// <summary>Binance filled quantity <c>z</c>; null elsewhere.</summary>
    public string? FilledSz { get; init; }

    /// <summary>Binance order status <c>X</c>; null elsewhere.</summary>
    public string? Status { get; init; }

    /// <summary>OKX position side (<c>long</c>/<c>short</c>); null elsewhere.</summary>
    public string? PosSide { get; init; }

    /// <summary>OKX bankruptcy loss <c>bkLoss</c>; null elsewhere.</summary>
    public string? BkLoss { get; init; }

    /// <summary>Local receive time, Unix ms.</summary>
    public required long RecvTs { get; init; }

    public required string Src { get; init; }
}
