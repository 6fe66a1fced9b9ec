using System.Text;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Tests.Binance;

public sealed class BinanceFrameParserTests
{
    private readonly BinanceFrameParser _parser = new(["BTCUSDT", "ETHUSDT"]);

    [Fact]
    public void ParseFrame_CombinedAggTrade_ReadsIdTimeAndSide()
    {
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(TestSpecs.BinanceTradeFrame("ETHUSDT", 77, 1720000000101, m: true), 3));
        var item = _parser.Items[0];
        Assert.Equal(1, _parser.InstrumentOf(0));
        Assert.Equal(77, item.Id);
        Assert.Equal(1720000000101, item.Ts);
        Assert.True(item.Sell);
        Assert.Equal(154, item.FirstId);
        Assert.Equal(155, item.LastId);
    }

    [Fact]
    public void ParseFrame_RawModeEvent_IsParsedToo()
    {
        var raw = """{"e":"aggTrade","E":1720000000123,"s":"BTCUSDT","a":2228503268,"p":"60276.3","q":"0.029","nq":"0.029","f":5129698194,"l":5129698195,"T":1720000000101,"m":false,"st":1}"""u8;
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(raw, 0));
        Assert.Equal(2228503268, _parser.Items[0].Id);
        Assert.False(_parser.Items[0].Sell);
    }

    [Fact]
    public void ParseRestPage_AggTradesArray_ReadsRows()
    {
        var page = """[{"a":26129,"p":"0.01633102","q":"4.70443515","nq":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true},{"a":26130,"p":"0.01633103","q":"1","f":27782,"l":27783,"T":1498793709160,"m":false}]"""u8;
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseRestPage(page, 0, 5));
        Assert.Equal(2, _parser.Count);
        Assert.Equal(TradeSource.Rest, _parser.Items[0].Src);
        Assert.Equal(26130, _parser.Items[1].Id);
    }

    [Fact]
    public void ParseRestPage_ErrorObject_IsError()
    {
        Assert.Equal(BinanceFrameKind.Error, _parser.ParseRestPage("""{"code":-4166,"msg":"Search window is restricted to recent 2 days only."}"""u8, 0, 0));
        Assert.Contains("-4166", _parser.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT","a":1,"p":"-1","q":"1","T":1,"m":false}}""", "p ")]
    [InlineData("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"1","m":false}}""", "T")]
    [InlineData("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","s":"BTCUSDT","a":1,"p":"1","q":"1","T":1,"m":false""", "JSON")]
    [InlineData("""{"stream":"btcusdt@aggTrade","data":{"e":"trade","s":"BTCUSDT","a":1,"p":"1","q":"1","T":1,"m":false}}""", "aggTrade")]
    public void ParseFrame_BadFrame_IsMalformedWithReason(string frame, string reasonPart)
    {
        Assert.Equal(BinanceFrameKind.Malformed, _parser.ParseFrame(Encoding.UTF8.GetBytes(frame), 0));
        Assert.Contains(reasonPart, _parser.Error, StringComparison.Ordinal);
        Assert.Equal(0, _parser.FrameInstrument);
    }

    [Fact]
    public void ParseFrame_SubscribeResult_IsResult()
    {
        Assert.Equal(BinanceFrameKind.Result, _parser.ParseFrame("""{"result":null,"id":1}"""u8, 0));
    }
}
