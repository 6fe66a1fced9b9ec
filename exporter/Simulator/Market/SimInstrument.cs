namespace Pipeline.Simulator.Market;

/// <summary>
/// One simulated perpetual swap and how its numbers are written. Prices are integers of
/// <see cref="PriceScale"/> decimals on a grid of <see cref="TickUnits"/>; sizes are integers of
/// <see cref="SizeScale"/> decimals (OKX: contracts, Binance: base asset).
/// </summary>
public sealed record SimInstrument
{
    /// <summary>okx or binance (the vault's exchange names).</summary>
    public required string Exchange { get; init; }

    public required string InstId { get; init; }

    public required string BaseCcy { get; init; }

    public required string QuoteCcy { get; init; }

    public required string SettleCcy { get; init; }

    /// <summary>Price of the walk at the id genesis, before any noise.</summary>
    public required decimal BasePrice { get; init; }

    /// <summary>Decimals of a price (1 for a 0.1 tick).</summary>
    public required int PriceScale { get; init; }

    /// <summary>Tick in price units (1 with scale 1 = 0.1).</summary>
    public long TickUnits { get; init; } = 1;

    public required int SizeScale { get; init; }

    /// <summary>Lot in size units.</summary>
    public long LotUnits { get; init; } = 1;

    /// <summary>Median fill size in size units.</summary>
    public required long MedianSizeUnits { get; init; }

    public required string CtVal { get; init; }

    public string CtMult { get; init; } = "1";

    /// <summary>linear or inverse.</summary>
    public required string CtType { get; init; }

    public required string CtValCcy { get; init; }

    /// <summary>OKX instFamily / uly (BTC-USDT); Binance pair.</summary>
    public required string Family { get; init; }

    /// <summary>Volatility of the log price per 10 s block (before regime scaling).</summary>
    public double BlockVolatility { get; init; } = 0.00028;

    public bool IsOkx => Exchange == SimInstruments.Okx;

    public bool IsBinance => Exchange == SimInstruments.Binance;

    /// <summary>Price text: OKX trims trailing zeros, Binance keeps the tick's decimals.</summary>
    public string FormatPrice(long units) => SimNumber.Format(units, PriceScale, trim: IsOkx);

    /// <summary>Size text: OKX contracts trimmed, Binance base quantity with fixed decimals (0.030).</summary>
    public string FormatSize(long units) => SimNumber.Format(units, SizeScale, trim: IsOkx);

    public int WritePrice(Span<byte> destination, long units) => SimNumber.Write(destination, units, PriceScale, trim: IsOkx);

    public int WriteSize(Span<byte> destination, long units) => SimNumber.Write(destination, units, SizeScale, trim: IsOkx);
}
