using Pipeline.Exporter.Trading;

namespace Pipeline.Jobs.Trading;

/// <summary>Where a live run sends orders: the venue ("binance", "okx"), its REST endpoint, and whether it is a testnet/demo account.</summary>
public sealed record LiveTarget(string Venue, Uri Endpoint, bool Testnet)
{
    /// <summary>What kind of account, for banners: REAL MONEY, TESTNET (Binance) or DEMO TRADING (OKX).</summary>
    public string Account => Testnet ? (Venue == TradingVenues.Okx ? "DEMO TRADING" : "TESTNET") : "REAL MONEY";
}
