using System.Text;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Tests.Okx;

public sealed class OkxFrameParserTests
{
    private readonly OkxFrameParser _parser = new(["BTC-USDT-SWAP", "BTC-USD-SWAP"]);

    [Fact]
    public void Parse_TradesAllPush_ReadsEveryField()
    {
        var kind = _parser.Parse(TestSpecs.OkxTradeFrame("BTC-USD-SWAP", 42, 1720000000123, "65000.1", "12", "buy"), 99, TradeSource.Ws);
        Assert.Equal(OkxFrameKind.Trades, kind);
        Assert.Equal(1, _parser.Count);
        var item = _parser.Items[0];
        Assert.Equal(1, _parser.InstrumentOf(0));
        Assert.Equal(42, item.Id);
        Assert.Equal(1720000000123, item.Ts);
        Assert.False(item.Sell);
        Assert.Equal("65000.1", Encoding.ASCII.GetString(item.PxSpan));
        Assert.Equal("12", Encoding.ASCII.GetString(item.SzSpan));
        Assert.Equal(99, item.RecvTs);
    }

    [Fact]
    public void Parse_AggregatedTradesPush_KeepsCount()
    {
        var frame = """{"arg":{"channel":"trades","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1234567890","px":"65000.1","sz":"12","side":"sell","ts":"1720000000123","count":"3","source":"0","seqId":98765}]}"""u8;
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(frame, 0, TradeSource.Ws));
        Assert.Equal(3, _parser.Items[0].Count);
        Assert.Equal(1234567888, _parser.Items[0].FirstCoveredId);
    }

    [Fact]
    public void Parse_RestHistoryPage_ReadsRowsNewestFirst()
    {
        var page = """{"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","side":"sell","sz":"0.1","px":"65000","source":"0","tradeId":"242720720","ts":"1654161646974"},{"instId":"BTC-USDT-SWAP","side":"buy","sz":"2","px":"65000.5","source":"0","tradeId":"242720719","ts":"1654161641568"}]}"""u8;
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(page, 0, TradeSource.Rest));
        Assert.Equal(2, _parser.Count);
        Assert.Equal(242720719, _parser.Items[1].Id);
        Assert.Equal(TradeSource.Rest, _parser.Items[1].Src);
    }

    [Fact]
    public void Parse_WrongUrlError60018_ReportsCodeChannelAndMessage()
    {
        var frame = """{"event":"error","code":"60018","msg":"Wrong URL or channel:trades-all,instId:BTC-USDT-SWAP doesn't exist. Please use the correct URL, channel and parameters referring to API document.","connId":"a4d3ae55"}"""u8;
        Assert.Equal(OkxFrameKind.Error, _parser.Parse(frame, 0, TradeSource.Ws));
        Assert.Equal("60018", _parser.EventCode);
        Assert.Contains("Wrong URL", _parser.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AckNoticeAndPong_AreRecognised()
    {
        Assert.Equal(OkxFrameKind.Subscribed, _parser.Parse("""{"id":"s1","event":"subscribe","arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"connId":"a"}"""u8, 0, TradeSource.Ws));
        Assert.Equal("trades-all", _parser.EventChannel);
        Assert.Equal("BTC-USDT-SWAP", _parser.EventInstId);
        Assert.Equal(OkxFrameKind.Notice, _parser.Parse("""{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a"}"""u8, 0, TradeSource.Ws));
        Assert.Equal("64008", _parser.EventCode);
        Assert.Equal(OkxFrameKind.Pong, _parser.Parse("pong"u8, 0, TradeSource.Ws));
    }

    [Theory]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1","px":"1e5","sz":"1","side":"buy","ts":"1"}]}""", "px")]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"x1","px":"1","sz":"1","side":"buy","ts":"1"}]}""", "tradeId")]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1","px":"1","sz":"1","side":"hold","ts":"1"}]}""", "side")]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1","px":"1","sz":"1","side":"buy"}]}""", "ts")]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"ETH-USDT-SWAP","tradeId":"1","px":"1","sz":"1","side":"buy","ts":"1"}]}""", "unknown instId")]
    [InlineData("""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"1","px":"1","sz":"1","si""", "JSON")]
    [InlineData("""garbage""", "JSON")]
    public void Parse_BadFrame_IsMalformedWithReason(string frame, string reasonPart)
    {
        Assert.Equal(OkxFrameKind.Malformed, _parser.Parse(Encoding.UTF8.GetBytes(frame), 0, TradeSource.Ws));
        Assert.Equal(0, _parser.Count);
        Assert.Contains(reasonPart, _parser.Error, StringComparison.OrdinalIgnoreCase);
    }
}
