using System.Text;
using Pipeline.Exporter.Binance;

namespace Pipeline.Exporter.Tests.Binance;

public sealed class BinanceInstrumentsTests
{
    [Fact]
    public void ParseBinance_ExchangeInfo_UsesBaseAssetAndUnitContract()
    {
        var json = """{"symbols":[{"symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","marginAsset":"USDT"}]}""";
        var (valid, rejected) = BinanceInstruments.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Empty(rejected);
        var spec = Assert.Single(valid);
        Assert.Equal(("1", "1", "linear", "BTC"), (spec.CtVal, spec.CtMult, spec.CtType, spec.CtValCcy));
    }
}
