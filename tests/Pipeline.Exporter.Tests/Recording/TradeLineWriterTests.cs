using System.Buffers;
using System.Text;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Recording;

public sealed class TradeLineWriterTests
{
    [Fact]
    public void Write_OkxLinear_MatchesRawTradeWriterAndContractMath()
    {
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);
        Assert.Equal(OkxFrameKind.Trades, parser.Parse(TestSpecs.OkxTradeFrame("BTC-USDT-SWAP", 1234567888, 1720000000123), 1720000000150, TradeSource.Ws));
        var line = Write(new TradeLineWriter(TestSpecs.OkxLinear), parser.Items[0]);
        var expected = RawTradeWriter.ToLine(new RawTrade
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = "1234567888", Ts = 1720000000123, Px = "65000.1", Sz = "4",
            Side = "sell", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.04",
            RecvTs = 1720000000150, Src = "ws",
        });
        Assert.Equal(expected, line);
    }

    [Fact]
    public void Write_OkxInverse_DividesByPrice()
    {
        var parser = new OkxFrameParser(["BTC-USD-SWAP"]);
        parser.Parse(TestSpecs.OkxTradeFrame("BTC-USD-SWAP", 7, 1720000000123, px: "50000", sz: "3", side: "buy"), 1, TradeSource.Rest);
        var trade = new RawTradeParser().Parse(Write(new TradeLineWriter(TestSpecs.OkxInverse), parser.Items[0]));
        Assert.Equal(ContractMath.QtyBase("3", "50000", "100", "1", "inverse", "USD", "BTC"), trade.QtyBase);
        Assert.Equal("0.006", trade.QtyBase);
        Assert.Equal("buy", trade.Side);
        Assert.Equal("rest", trade.Src);
    }

    [Fact]
    public void Write_BinanceAggTrade_CarriesFirstAndLastIdAndTakerSide()
    {
        var parser = new BinanceFrameParser(["BTCUSDT"]);
        Assert.Equal(BinanceFrameKind.Trades, parser.ParseFrame(TestSpecs.BinanceTradeFrame("BTCUSDT", 2228503268, 1720000000101, m: true), 5));
        var line = Write(new TradeLineWriter(TestSpecs.Binance), parser.Items[0]);
        var expected = RawTradeWriter.ToLine(new RawTrade
        {
            Exchange = "binance", InstId = "BTCUSDT", TradeId = "2228503268", Ts = 1720000000101, Px = "60276.3", Sz = "0.029",
            Side = "sell", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.029",
            RecvTs = 5, Src = "ws", FirstId = 2228503268L * 2, LastId = (2228503268L * 2) + 1,
        });
        Assert.Equal(expected, line);
    }

    private static string Write(TradeLineWriter writer, in TradeItem item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        writer.Write(buffer, item);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
