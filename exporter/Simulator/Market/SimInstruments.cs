namespace Pipeline.Simulator.Market;

/// <summary>The instruments the simulator knows, by instId.</summary>
public static class SimInstruments
{
    public const string Okx = "okx";
    public const string Binance = "binance";

    public static IReadOnlyList<string> Default { get; } = ["BTC-USDT-SWAP", "ETH-USDT-SWAP", "BTC-USD-SWAP", "BTCUSDT"];

    public static IReadOnlyList<SimInstrument> All { get; } =
    [
        new SimInstrument
        {
            Exchange = Okx, InstId = "BTC-USDT-SWAP", BaseCcy = "BTC", QuoteCcy = "USDT", SettleCcy = "USDT",
            BasePrice = 90000m, PriceScale = 1, SizeScale = 2, MedianSizeUnits = 300,
            CtVal = "0.01", CtType = "linear", CtValCcy = "BTC", Family = "BTC-USDT",
        },
        new SimInstrument
        {
            Exchange = Okx, InstId = "ETH-USDT-SWAP", BaseCcy = "ETH", QuoteCcy = "USDT", SettleCcy = "USDT",
            BasePrice = 3000m, PriceScale = 2, SizeScale = 2, MedianSizeUnits = 500,
            CtVal = "0.1", CtType = "linear", CtValCcy = "ETH", Family = "ETH-USDT", BlockVolatility = 0.00035,
        },
        new SimInstrument
        {
            Exchange = Okx, InstId = "BTC-USD-SWAP", BaseCcy = "BTC", QuoteCcy = "USD", SettleCcy = "BTC",
            BasePrice = 90000m, PriceScale = 1, SizeScale = 0, MedianSizeUnits = 8,
            CtVal = "100", CtType = "inverse", CtValCcy = "USD", Family = "BTC-USD",
        },
        new SimInstrument
        {
            Exchange = Binance, InstId = "BTCUSDT", BaseCcy = "BTC", QuoteCcy = "USDT", SettleCcy = "USDT",
            BasePrice = 90000m, PriceScale = 1, SizeScale = 3, MedianSizeUnits = 12,
            CtVal = "1", CtType = "linear", CtValCcy = "BTC", Family = "BTCUSDT",
        },
        new SimInstrument
        {
            Exchange = Binance, InstId = "ETHUSDT", BaseCcy = "ETH", QuoteCcy = "USDT", SettleCcy = "USDT",
            BasePrice = 3000m, PriceScale = 2, SizeScale = 3, MedianSizeUnits = 150,
            CtVal = "1", CtType = "linear", CtValCcy = "ETH", Family = "ETHUSDT", BlockVolatility = 0.00035,
        },
    ];

    public static bool TryFind(string instId, out SimInstrument instrument)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.InstId, instId, StringComparison.OrdinalIgnoreCase))
            {
                instrument = candidate;
                return true;
            }
        }

        instrument = null!;
        return false;
    }

    /// <summary>The instrument or an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static SimInstrument Find(string instId) =>
        TryFind(instId, out var instrument)
            ? instrument
            : throw new ArgumentException($"unknown instrument '{instId}' (the simulator knows {string.Join(", ", All.Select(i => i.InstId))})", nameof(instId));
}
