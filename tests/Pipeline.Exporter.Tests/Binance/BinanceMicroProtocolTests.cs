using System.Text;
using Pipeline.Exporter.Binance;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>Binance microstructure subscriptions (routes, stream names) and how malformed frames are refused.</summary>
public sealed class BinanceMicroProtocolTests : IDisposable
{
    private static readonly HashSet<MicroKind> AllKinds = [.. MicroKinds.All];
    private readonly BinanceMicroProtocol _protocol = new();
    private readonly BinanceMicroCollector _sink = new();

    public void Dispose() => _protocol.Dispose();

    [Fact]
    public void SubscribeFrames_AllKinds_PublicStreamsThenMarketStreamsLowercase()
    {
        var frames = _protocol.SubscribeFrames(["BTCUSDT", "ETHUSDT"], AllKinds);
        Assert.Equal(
        [
            """{"method":"SUBSCRIBE","params":["btcusdt@bookTicker","btcusdt@depth@100ms","ethusdt@bookTicker","ethusdt@depth@100ms"],"id":1}""",
            """{"method":"SUBSCRIBE","params":["btcusdt@forceOrder","btcusdt@markPrice@1s","ethusdt@forceOrder","ethusdt@markPrice@1s"],"id":2}""",
        ], frames);
    }

    [Fact]
    public void SubscribeFrames_OnlyMarketKinds_NoPublicFrame()
    {
        var frames = _protocol.SubscribeFrames(["BTCUSDT"], new HashSet<MicroKind>([MicroKind.Derivatives]));
        Assert.Equal(["""{"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s"],"id":2}"""], frames);
        Assert.Empty(BinanceMicroProtocol.SubscribeFramesFor(BinanceMicroProtocol.PublicRoute, ["BTCUSDT"], new HashSet<MicroKind>([MicroKind.Derivatives])));
    }

    [Fact]
    public void StreamUrl_EachRoute_CombinedStreamOnItsRoutedPath()
    {
        var ws = new Uri("wss://fstream.binance.com/");
        Assert.Equal("wss://fstream.binance.com/public/stream?streams=btcusdt@bookTicker/btcusdt@depth@100ms",
            BinanceMicroProtocol.StreamUrl(ws, BinanceMicroProtocol.PublicRoute, ["BTCUSDT"], AllKinds)!.ToString());
        Assert.Equal("wss://fstream.binance.com/market/stream?streams=btcusdt@forceOrder/btcusdt@markPrice@1s",
            BinanceMicroProtocol.StreamUrl(ws, BinanceMicroProtocol.MarketRoute, ["BTCUSDT"], AllKinds)!.ToString());
        Assert.Null(BinanceMicroProtocol.StreamUrl(ws, BinanceMicroProtocol.MarketRoute, ["BTCUSDT"], new HashSet<MicroKind>([MicroKind.Book])));
    }

    [Fact]
    public void NewBookSequencer_AnyInstrument_BinanceSequencerForIt()
    {
        var sequencer = Assert.IsType<BinanceBookSequencer>(_protocol.NewBookSequencer("BTCUSDT"));
        Assert.Equal("BTCUSDT", sequencer.InstId);
        Assert.Equal("binance", _protocol.Exchange);
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"stream":"btcusdt@bookTicker","data":[1]}""", "data is not an object")]
    [InlineData("""{"foo":1}""", "neither an event")]
    [InlineData("""{"e":"kline","E":1,"s":"BTCUSDT"}""", "unexpected event type kline")]
    [InlineData("""{"e":"bookTicker","u":1,"E":5,"T":4,"s":"BTCUSDT","b":"1.5","B":"2","a":"1.6"}""", "bookTicker: A is missing")]
    [InlineData("""{"e":"bookTicker","u":1,"E":5,"T":4,"s":"BTCUSDT","b":1.5,"B":"2","a":"1.6","A":"3"}""", "bookTicker: b is not")]
    [InlineData("""{"e":"bookTicker","u":"x","E":5,"T":4,"s":"BTCUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}""", "bookTicker: u is not")]
    [InlineData("""{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}""", "bookTicker: neither T nor E")]
    [InlineData("""{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":3,"u":4,"b":[],"a":[]}""", "depthUpdate: pu is missing")]
    [InlineData("""{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":5,"u":4,"pu":2,"b":[],"a":[]}""", "depthUpdate: U 5 is after u 4")]
    [InlineData("""{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":3,"u":4,"pu":2,"b":[["1.5"]],"a":[]}""", "depthUpdate: b has a level")]
    [InlineData("""{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":3,"u":4,"pu":2,"b":[["1e3","1"]],"a":[]}""", "depthUpdate: b price is not")]
    [InlineData("""{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":3,"u":4,"pu":2,"b":[],"a":[["2","-1"]]}""", "depthUpdate: a qty is not")]
    [InlineData("""{"e":"forceOrder","E":5,"o":{"s":"BTCUSDT","S":"HOLD","q":"1","p":"2","T":4}}""", "forceOrder: S is neither")]
    [InlineData("""{"e":"forceOrder","E":5,"o":{"s":"BTCUSDT","S":"BUY","q":"0","p":"2","T":4}}""", "forceOrder: q is not a positive")]
    [InlineData("""{"e":"forceOrder","E":5}""", "forceOrder: o is not an object")]
    [InlineData("""{"e":"markPriceUpdate","E":5,"s":"BTCUSDT","p":"1","i":"1","r":"abc","T":0}""", "markPriceUpdate: r is not")]
    [InlineData("""{"e":"markPriceUpdate","E":5,"s":"BTCUSDT","i":"1","r":"0.1","T":0}""", "markPriceUpdate: p is missing")]
    public void TryParse_MalformedFrame_FalseWithReasonAndNothingEmitted(string frame, string reason)
    {
        Assert.False(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void TryParse_DepthRemovingLevel_KeepsZeroSizeAsSent()
    {
        var frame = """{"e":"depthUpdate","E":5,"T":4,"s":"BTCUSDT","U":3,"u":4,"pu":2,"b":[["100.10","0"]],"a":[["100.20","0.000"]]}""";
        Assert.True(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem), problem);
        var book = Assert.Single(_sink.Books);
        Assert.Equal([new BookLevel("100.10", "0")], book.Bids);
        Assert.Equal([new BookLevel("100.20", "0.000")], book.Asks);
    }

    [Fact]
    public void TryParse_MarkPriceOfDeliveryContract_NoFundingRateNorNextFundingTime()
    {
        var frame = """{"e":"markPriceUpdate","E":1596095725000,"s":"BTCUSDT_260925","p":"10934.62","i":"10933.62","P":"10962.17","r":"","T":0}""";
        Assert.True(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem), problem);
        var record = Assert.Single(_sink.DerivativeRecords);
        Assert.Equal(((string?)null, (long?)null, 1596095725000L), (record.FundingRate, record.NextFundingTime, record.Ts));
    }

    [Fact]
    public void TryParse_NegativeFundingRate_KeptExactly()
    {
        var frame = """{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"1.5","i":"1.4","r":"-0.00012500","T":2}""";
        Assert.True(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem), problem);
        Assert.Equal("-0.00012500", Assert.Single(_sink.DerivativeRecords).FundingRate);
    }

    [Fact]
    public void TryParse_BookTickerWithoutTransactionTime_UsesEventTime()
    {
        var frame = """{"e":"bookTicker","u":9,"E":1000,"s":"BTCUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}""";
        Assert.True(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem), problem);
        Assert.Equal(1000, Assert.Single(_sink.Quotes).Ts);
    }

    [Theory]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""", "depth: error answer code -1121: Invalid symbol.")]
    [InlineData("""[]""", "depth: the answer is not a JSON object")]
    [InlineData("""{"lastUpdateId":1,"E":2,"T":3,"bids":[["1","0"]],"asks":[]}""", "depth: bids qty is not a positive plain decimal string")]
    [InlineData("""{"E":2,"T":3,"bids":[],"asks":[]}""", "depth: lastUpdateId is missing")]
    public void TryParseDepthSnapshot_BadAnswer_FalseWithReason(string body, string reason)
    {
        Assert.False(BinanceMicroRest.TryParseDepthSnapshot(Encoding.UTF8.GetBytes(body), "BTCUSDT", 1, out var snapshot, out var problem));
        Assert.Null(snapshot);
        Assert.Equal(reason, problem);
    }

    [Theory]
    [InlineData("""{"code":-1121,"msg":"Invalid symbol."}""", "openInterest: error answer code -1121: Invalid symbol.")]
    [InlineData("""{"openInterest":10659.509,"symbol":"BTCUSDT","time":1}""", "openInterest: openInterest is not")]
    [InlineData("""{"openInterest":"1","symbol":"BTCUSDT"}""", "openInterest: time is missing")]
    [InlineData("""{"openInterest":"1","symbol":"BTCUSDT","time":0}""", "openInterest: time is 0")]
    public void TryParseOpenInterest_BadAnswer_FalseWithReason(string body, string reason)
    {
        Assert.False(BinanceMicroRest.TryParseOpenInterest(Encoding.UTF8.GetBytes(body), 1, out var record, out var problem));
        Assert.Null(record);
        Assert.StartsWith(reason, problem, StringComparison.Ordinal);
    }
}
