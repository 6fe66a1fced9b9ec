using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Tests.Venues;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>
/// The Binance microstructure parsers on the committed documentation examples (Binance/Fixtures, see the README there):
/// every field of every record asserted against the example's values.
/// </summary>
public sealed class BinanceMicroFixtureTests : IDisposable
{
    private const string Venue = "Binance";
    private readonly BinanceMicroProtocol _protocol = new();
    private readonly BinanceMicroCollector _sink = new();

    private bool Parse(string fixture, out string? problem) =>
        _protocol.TryParse(WireFixtures.Bytes(Venue, fixture), 42, _sink, out problem);

    public void Dispose() => _protocol.Dispose();

    [Fact]
    public void TryParse_BookTickerFixture_QuoteWithUpdateIdAsSeqAndTransactionTime()
    {
        Assert.True(Parse("ws-bookticker-raw.json", out var problem), problem);
        var quote = Assert.Single(_sink.Quotes);
        Assert.Equal(1, _sink.Count);
        Assert.Equal(new QuoteRecord
        {
            Exchange = "binance", InstId = "BNBUSDT", Ts = 1568014460891, Seq = 400900217,
            BidPx = "25.35190000", BidSz = "31.21000000", AskPx = "25.36520000", AskSz = "40.66000000", RecvTs = 42, Src = "ws",
        }, quote);
    }

    [Fact]
    public void TryParse_CombinedDepthFixture_UpdateWithFirstLastAndPreviousIds()
    {
        Assert.True(Parse("ws-depthupdate-combined.json", out var problem), problem);
        var book = Assert.Single(_sink.Books);
        Assert.Equal(1, _sink.Count);
        Assert.Equal(("binance", "BTCUSDT", BookRecordType.Update, 123456788L), (book.Exchange, book.InstId, book.Type, book.Ts));
        Assert.Equal((160L, 149L, 157L), (book.Seq, book.PrevSeq, book.FirstSeq));
        Assert.Equal([new BookLevel("0.0024", "10")], book.Bids);
        Assert.Equal([new BookLevel("0.0026", "100")], book.Asks);
        Assert.Equal((42L, "ws", (long?)null, (string?)null), (book.RecvTs, book.Src, book.Checksum, book.Reason));
    }

    [Fact]
    public void TryParse_ForceOrderFixture_LiquidationWithOrderTradeTimeAndLowercaseSide()
    {
        Assert.True(Parse("ws-forceorder-raw.json", out var problem), problem);
        var liquidation = Assert.Single(_sink.Liquidations);
        Assert.Equal(1, _sink.Count);
        Assert.Equal(new LiquidationRecord
        {
            Exchange = "binance", InstId = "BTCUSDT", Ts = 1568014460893, Side = "sell", Px = "9910", Sz = "0.014",
            AvgPx = "9910", FilledSz = "0.014", Status = "FILLED", RecvTs = 42, Src = "ws",
        }, liquidation);
    }

    [Fact]
    public void TryParse_MarkPriceFixture_DerivativesWithFundingAndNextFundingTime()
    {
        Assert.True(Parse("ws-markprice-raw.json", out var problem), problem);
        var derivatives = Assert.Single(_sink.DerivativeRecords);
        Assert.Equal(1, _sink.Count);
        Assert.Equal(new DerivativesRecord
        {
            Exchange = "binance", InstId = "BTCUSDT", Ts = 1562305380000, Channel = "markPrice",
            MarkPx = "11794.15000000", IndexPx = "11784.62659091", FundingRate = "0.00038167", NextFundingTime = 1562306400000,
            RecvTs = 42, Src = "ws",
        }, derivatives);
    }

    [Theory]
    [InlineData("ws-error.json")]
    [InlineData("ws-error-bare.json")]
    public void TryParse_ErrorFixtureEitherForm_FalseWithCodeAndMessage(string fixture)
    {
        Assert.False(Parse(fixture, out var problem));
        Assert.Equal("error reply: code 2: Invalid request: unknown variable", problem);
        Assert.Equal(0, _sink.Count);
    }

    [Theory]
    [InlineData("ws-subscribe-result.json")]
    [InlineData("ws-list-subscriptions-result.json")]
    public void TryParse_MethodResultFixture_TrueAndNothingEmitted(string fixture)
    {
        Assert.True(Parse(fixture, out var problem), problem);
        Assert.Null(problem);
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void TryParseDepthSnapshot_RestDepthFixture_SnapshotWithLastUpdateIdAsSeq()
    {
        Assert.True(BinanceMicroRest.TryParseDepthSnapshot(WireFixtures.Bytes(Venue, "rest-depth.json"), "BTCUSDT", 7, out var snapshot, out var problem), problem);
        Assert.Equal(("binance", "BTCUSDT", BookRecordType.Snapshot, 1589436922959L), (snapshot!.Exchange, snapshot.InstId, snapshot.Type, snapshot.Ts));
        Assert.Equal((1027024L, (long?)null, (long?)null), (snapshot.Seq, snapshot.PrevSeq, snapshot.FirstSeq));
        Assert.Equal([new BookLevel("4.00000000", "431.00000000")], snapshot.Bids);
        Assert.Equal([new BookLevel("4.00000200", "12.00000000")], snapshot.Asks);
        Assert.Equal((7L, "rest"), (snapshot.RecvTs, snapshot.Src));
    }

    [Fact]
    public void TryParseOpenInterest_RestOpenInterestFixture_DerivativesOpenInterestRecord()
    {
        Assert.True(BinanceMicroRest.TryParseOpenInterest(WireFixtures.Bytes(Venue, "rest-openinterest.json"), 7, out var record, out var problem), problem);
        Assert.Equal(new DerivativesRecord
        {
            Exchange = "binance", InstId = "BTCUSDT", Ts = 1589437530011, Channel = "openInterest", OpenInterest = "10659.509",
            RecvTs = 7, Src = "rest",
        }, record);
    }

    [Fact]
    public void SubscribeFrames_Fixture_SameShapeAsDocumentedSubscribe()
    {
        var frames = _protocol.SubscribeFrames(["BTCUSDT"], new HashSet<MicroKind>([MicroKind.Quotes]));
        var frame = Assert.Single(frames);
        using var actual = System.Text.Json.JsonDocument.Parse(frame);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-subscribe-request.json"), actual.RootElement);
    }
}
