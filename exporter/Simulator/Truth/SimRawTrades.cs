using Pipeline.Simulator.Market;
using Pipeline.Vault.Trades;

namespace Pipeline.Simulator.Truth;

/// <summary>
/// The synthetic market as vault raw trades (what an exporter should end up holding): OKX one per fill,
/// Binance one per aggTrade, exactly the lines the truth writer writes. For tests, demos and benchmarks
/// that need realistic trades without a server.
/// </summary>
public static class SimRawTrades
{
    /// <summary>Every trade with fromTs &lt;= ts &lt;= toTs, in id order.</summary>
    public static IEnumerable<RawTrade> Between(MarketGenerator market, long fromTs, long toTs)
    {
        ArgumentNullException.ThrowIfNull(market);
        var instrument = market.Instrument;
        return instrument.IsBinance
            ? market.PrintsBetween(fromTs, toTs).Select(p => TruthWriter.ToRawTrade(instrument, p))
            : market.FillsBetween(fromTs, toTs).Select(f => TruthWriter.ToRawTrade(instrument, f));
    }

    /// <summary>The same for an instrument by name with the CLI's defaults (seed 1, 200 fills/s unless given).</summary>
    public static IEnumerable<RawTrade> Between(string instId, long fromTs, long toTs, ulong seed = 1, double rate = 200) =>
        Between(new MarketGenerator(SimInstruments.Find(instId), seed, rate), fromTs, toTs);
}
