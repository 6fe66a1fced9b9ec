using Pipeline.Exporter.Instruments;

namespace Pipeline.Exporter.Tests;

/// <summary>Instrument specs as the exchanges describe them (PROTOCOLS 1.7).</summary>
public static class TestSpecs
{
    public static InstrumentSpec OkxLinear { get; } = new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", BaseCcy = "BTC",
    };

    public static InstrumentSpec OkxInverse { get; } = new()
    {
        Exchange = "okx", InstId = "BTC-USD-SWAP", CtVal = "100", CtMult = "1", CtType = "inverse", CtValCcy = "USD", BaseCcy = "BTC",
    };

    public static InstrumentSpec Binance { get; } = new()
    {
        Exchange = "binance", InstId = "BTCUSDT", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", BaseCcy = "BTC",
    };

    public static ExporterOptions Options(string exchange, params string[] instIds) => new()
    {
        Exchange = exchange,
        InstIds = instIds,
        ReorderWindow = TimeSpan.FromMilliseconds(200),
    };

    public static byte[] OkxTradeFrame(string instId, long id, long ts, string px = "65000.1", string sz = "4", string side = "sell") =>
        System.Text.Encoding.UTF8.GetBytes(
            $$"""{"arg":{"channel":"trades-all","instId":"{{instId}}"},"data":[{"instId":"{{instId}}","tradeId":"{{id}}","px":"{{px}}","sz":"{{sz}}","side":"{{side}}","source":"0","ts":"{{ts}}"}]}""");

    public static byte[] BinanceTradeFrame(string symbol, long id, long ts, string px = "60276.3", string q = "0.029", bool m = false) =>
        System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@aggTrade","data":{"e":"aggTrade","E":{{{ts + 20}}},"s":"{{{symbol}}}","a":{{{id}}},"p":"{{{px}}}","q":"{{{q}}}","nq":"{{{q}}}","f":{{{id * 2}}},"l":{{{(id * 2) + 1}}},"T":{{{ts}}},"m":{{{(m ? "true" : "false")}}}}}""");
}
