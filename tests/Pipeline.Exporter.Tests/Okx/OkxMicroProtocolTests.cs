using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Tests.Venues;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>
/// <see cref="OkxMicroProtocol"/> on the committed documentation examples (Okx/Fixtures, README there): every channel's
/// push read field by field, the subscribe frames and endpoints, control frames, and malformed frames refused with a reason.
/// </summary>
public sealed class OkxMicroProtocolTests
{
    private const string Venue = "Okx";
    private readonly OkxMicroProtocol _protocol = new(["BTC-USDT", "BCH-USDT-SWAP", "LTC-USD-190628", "BTC-USD-SWAP", "LTC-USD-SWAP", "IOST-USDT-SWAP"]);
    private readonly OkxRecordedMicro _sink = new();

    [Fact]
    public void TryParse_BboTbtFixture_IsOneQuoteWithExactStringsSeqAndEventTime()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-bbo-tbt-push.json"), 77, _sink, out var problem), problem);
        var quote = Assert.Single(_sink.Quotes);
        Assert.Equal(new QuoteRecord
        {
            Exchange = "okx", InstId = "BCH-USDT-SWAP", Ts = 1670324386802, Seq = 363996337, BidPx = "111.05", BidSz = "57745",
            AskPx = "111.06", AskSz = "55154", RecvTs = 77, Src = "ws",
        }, quote);
    }

    [Fact]
    public void TryParse_BooksSnapshotFixture_IsSnapshotWithEveryLevelSeqAndChecksum()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-books-snapshot-checksum.json"), 5, _sink, out var problem), problem);
        var book = Assert.Single(_sink.Books);
        Assert.Equal((BookRecordType.Snapshot, 1597026383085L, 123456L, (long?)null, (long?)-855196043), (book.Type, book.Ts, book.Seq!.Value, book.PrevSeq, book.Checksum));
        Assert.Equal(("okx", "BTC-USDT", "ws", 5L), (book.Exchange, book.InstId, book.Src, book.RecvTs));
        Assert.Equal(8, book.Bids.Count);
        Assert.Equal(8, book.Asks.Count);
        Assert.Equal(new BookLevel("8476.97", "256"), book.Bids[0]);
        Assert.Equal(new BookLevel("8446", "95"), book.Bids[7]);
        Assert.Equal(new BookLevel("8476.98", "415"), book.Asks[0]);
        Assert.Equal(new BookLevel("8506.96", "100"), book.Asks[7]);
    }

    [Fact]
    public void TryParse_BooksUpdateFixture_IsUpdateChainedByPrevSeqIdWithoutTheZeroChecksum()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-books-update.json"), 5, _sink, out var problem), problem);
        var book = Assert.Single(_sink.Books);
        Assert.Equal((BookRecordType.Update, 123457L, (long?)123456, (long?)null), (book.Type, book.Seq!.Value, book.PrevSeq, book.Checksum));
        Assert.Equal(8, book.Bids.Count);
    }

    [Fact]
    public void TryParse_CurrentBooksSnapshotFixtureWithChecksumZero_LeavesTheChecksumOut()
    {
        // OKX docs since the deprecation (23 June 2026): the field stays, fixed to 0.
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-books-snapshot.json"), 5, _sink, out _));
        var book = Assert.Single(_sink.Books);
        Assert.Equal((BookRecordType.Snapshot, (long?)123456, (long?)null), (book.Type, book.Seq, book.Checksum));
    }

    [Fact]
    public void TryParse_LiquidationOrdersFixture_IsOneLiquidationWithBankruptcyPriceAndPositionSide()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-liquidation-orders-push.json"), 9, _sink, out var problem), problem);
        Assert.Equal(new LiquidationRecord
        {
            Exchange = "okx", InstId = "IOST-USDT-SWAP", Ts = 1692266434010, Side = "buy", Px = "0.007831", Sz = "13",
            PosSide = "short", BkLoss = "0", RecvTs = 9, Src = "ws",
        }, Assert.Single(_sink.Liquidations));
    }

    [Fact]
    public void TryParse_LiquidationOfAnInstrumentNotRecorded_IsDroppedWithoutProblem()
    {
        var protocol = new OkxMicroProtocol(["BTC-USDT-SWAP"]);
        Assert.True(protocol.TryParse(WireFixtures.Bytes(Venue, "ws-liquidation-orders-push.json"), 9, _sink, out var problem));
        Assert.Null(problem);
        Assert.Empty(_sink.Liquidations);
    }

    [Fact]
    public void TryParse_MarkPriceFixture_IsDerivativesWithMarkPrice()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-mark-price-push.json"), 3, _sink, out var problem), problem);
        Assert.Equal(new DerivativesRecord
        {
            Exchange = "okx", InstId = "LTC-USD-190628", Ts = 1597026383085, Channel = "mark-price", MarkPx = "0.1", RecvTs = 3, Src = "ws",
        }, Assert.Single(_sink.DerivativesSeen));
    }

    [Fact]
    public void TryParse_FundingRateFixture_IsDerivativesWithRateAndTheSettlementItAppliesTo()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-funding-rate-push.json"), 3, _sink, out var problem), problem);
        Assert.Equal(new DerivativesRecord
        {
            Exchange = "okx", InstId = "BTC-USD-SWAP", Ts = 1700724675402, Channel = "funding-rate", FundingRate = "0.0001875391284828",
            NextFundingTime = 1700726400000, RecvTs = 3, Src = "ws",
        }, Assert.Single(_sink.DerivativesSeen));
    }

    [Fact]
    public void TryParse_OpenInterestFixture_IsDerivativesWithContractsAndCoin()
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-open-interest-push.json"), 3, _sink, out var problem), problem);
        Assert.Equal(new DerivativesRecord
        {
            Exchange = "okx", InstId = "LTC-USD-SWAP", Ts = 1597026383085, Channel = "open-interest", OpenInterest = "5000",
            OpenInterestCcy = "555.55", RecvTs = 3, Src = "ws",
        }, Assert.Single(_sink.DerivativesSeen));
    }

    [Theory]
    [InlineData("ws-books-subscribe-ack.json")]
    [InlineData("ws-notice-64008.json")]
    [InlineData("ws-pong.txt")]
    public void TryParse_ControlFrame_EmitsNothingAndIsNoProblem(string fixture)
    {
        Assert.True(_protocol.TryParse(WireFixtures.Bytes(Venue, fixture), 1, _sink, out var problem));
        Assert.Null(problem);
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void TryParse_ErrorEvent_FalseWithCodeAndMessageNeverSilentlyIgnored()
    {
        // The micro path once returned true for every event, so a refused subscription left a kind unrecorded with no trace.
        Assert.False(_protocol.TryParse(WireFixtures.Bytes(Venue, "ws-error-60018.json"), 1, _sink, out var problem));
        Assert.StartsWith("error event: code 60018: ", problem, StringComparison.Ordinal);
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void ReadEvent_BooksAckAndWrongUrlError_NameChannelCodeAndWhetherFatal()
    {
        var ack = OkxMicroEvent.Read(WireFixtures.Bytes(Venue, "ws-books-subscribe-ack.json"))!;
        Assert.Equal((true, "books", "BTC-USDT", false), (ack.IsSubscribed, ack.Channel, ack.InstId, ack.IsFatal));
        var error = OkxMicroEvent.Read(WireFixtures.Bytes(Venue, "ws-error-60018.json"))!;
        Assert.Equal((true, "60018", true), (error.IsError, error.Code, error.IsFatal));
        Assert.True(OkxMicroEvent.Read(WireFixtures.Bytes(Venue, "ws-notice-64008.json"))!.IsHandoverNotice);
        Assert.Null(OkxMicroEvent.Read(WireFixtures.Bytes(Venue, "ws-bbo-tbt-push.json")));
    }

    [Theory]
    [InlineData("{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BCH-USDT-SWAP\"},\"data\":[{\"asks\":[[\"111.06\",\"55154\"]],\"bids\":[[\"111.05\",\"57745\"]],\"ts\":\"1670324386802\"}]}", "bbo-tbt row lacks seqId")]
    [InlineData("{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"BCH-USDT-SWAP\"},\"data\":[{\"asks\":[],\"bids\":[[\"111.05\",\"57745\"]],\"ts\":\"1\",\"seqId\":1}]}", "asks is empty: a quote needs both sides")]
    [InlineData("{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"ETH-USDT-SWAP\"},\"data\":[]}", "unknown instId ETH-USDT-SWAP")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\",\"seqId\":2,\"prevSeqId\":1}]}", "books push lacks action")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\",\"seqId\":2}]}", "books update lacks prevSeqId")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\",\"seqId\":2,\"prevSeqId\":-1}]}", "books update has prevSeqId -1 (a snapshot's)")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\",\"prevSeqId\":-1}]}", "books snapshot lacks seqId")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":[[\"1e3\",\"1\"]],\"bids\":[],\"ts\":\"1\",\"seqId\":2,\"prevSeqId\":1}]}", "asks: a level's price is not a positive plain decimal string")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":[[\"1\",\"-1\"]],\"bids\":[],\"ts\":\"1\",\"seqId\":2,\"prevSeqId\":1}]}", "asks: a level's size is not a non-negative plain decimal string")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"update\",\"data\":[{\"asks\":[],\"bids\":[],\"ts\":\"1\",\"seqId\":2,\"prevSeqId\":1,\"checksum\":99999999999}]}", "checksum is not a signed 32-bit integer")]
    [InlineData("{\"arg\":{\"channel\":\"liquidation-orders\",\"instType\":\"SWAP\"},\"data\":[{\"details\":[{\"side\":\"buy\",\"bkPx\":\"1\",\"sz\":\"1\"}],\"instId\":\"IOST-USDT-SWAP\"}]}", "liquidation lacks ts")]
    [InlineData("{\"arg\":{\"channel\":\"mark-price\",\"instId\":\"LTC-USD-190628\"},\"data\":[{\"markPx\":\"0\",\"ts\":\"1\"}]}", "markPx is not a positive plain decimal string")]
    [InlineData("{\"arg\":{\"channel\":\"funding-rate\",\"instId\":\"BTC-USD-SWAP\"},\"data\":[{\"fundingRate\":\"0.0001\",\"ts\":\"1\"}]}", "funding-rate row lacks fundingTime")]
    [InlineData("{\"arg\":{\"channel\":\"open-interest\",\"instId\":\"LTC-USD-SWAP\"},\"data\":[{\"instId\":\"BTC-USD-SWAP\",\"oi\":\"1\",\"ts\":\"1\"}]}", "row instId differs from the subscribed LTC-USD-SWAP")]
    [InlineData("{\"arg\":{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"},\"data\":[]}", "unexpected channel 'tickers'")]
    [InlineData("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}}", "neither data nor event")]
    [InlineData("[1,2]", "not a JSON object")]
    public void TryParse_MalformedFrame_IsRefusedWithTheReasonAndEmitsNothing(string frame, string reason)
    {
        Assert.False(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem));
        Assert.Equal(reason, problem);
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void TryParse_TruncatedFrame_IsRefusedAsInvalidJson()
    {
        var frame = WireFixtures.Bytes(Venue, "ws-books-snapshot.json");
        Assert.False(_protocol.TryParse(frame.AsSpan(0, frame.Length - 7), 1, _sink, out var problem));
        Assert.StartsWith("invalid JSON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgInstId_RefusedBooksFrame_NamesItsInstrument()
    {
        Assert.Equal("BTC-USDT", OkxMicroProtocol.ArgInstId(WireFixtures.Bytes(Venue, "ws-books-update.json")));
        Assert.Null(OkxMicroProtocol.ArgInstId(WireFixtures.Bytes(Venue, "ws-liquidation-orders-push.json")));
        Assert.Null(OkxMicroProtocol.ArgInstId("{\"arg\":"u8));
    }

    [Fact]
    public void TryParse_FrameWithOneBadRowAfterAGoodOne_IsRefusedWhole()
    {
        const string frame = "{\"arg\":{\"channel\":\"mark-price\",\"instId\":\"LTC-USD-190628\"},\"data\":[{\"markPx\":\"1\",\"ts\":\"1\"},{\"markPx\":\"x\",\"ts\":\"2\"}]}";
        Assert.False(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out _));
        Assert.Equal(0, _sink.Count);
    }

    [Fact]
    public void TryParse_DataBeforeArgAndActionInTheFrame_StillReadsTheRows()
    {
        // JSON objects are unordered: the rows of books carry no instId, so arg and action are read first wherever they are.
        const string frame = "{\"data\":[{\"asks\":[[\"2\",\"1\",\"0\",\"1\"]],\"bids\":[],\"ts\":\"5\",\"checksum\":0,\"prevSeqId\":7,\"seqId\":9}],\"action\":\"update\",\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}}";
        Assert.True(_protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem), problem);
        var book = Assert.Single(_sink.Books);
        Assert.Equal(("BTC-USDT", BookRecordType.Update, (long?)9, (long?)7), (book.InstId, book.Type, book.Seq, book.PrevSeq));
        Assert.Equal(new BookLevel("2", "1"), Assert.Single(book.Asks));
    }

    [Fact]
    public void Request_ResubscribeOneBook_NamesChannelAndInstrument()
    {
        var request = JsonDocument.Parse(OkxMicroProtocol.Request("unsubscribe", "books", "BTC-USDT-SWAP")).RootElement;
        Assert.Equal("unsubscribe", request.GetProperty("op").GetString());
        var arg = Assert.Single(request.GetProperty("args").EnumerateArray().ToList());
        Assert.Equal(("books", "BTC-USDT-SWAP"), (arg.GetProperty("channel").GetString(), arg.GetProperty("instId").GetString()));
    }

    [Fact]
    public void SubscribeFrames_EveryKind_OneRequestPerKindWithLiquidationsByInstType()
    {
        var frames = _protocol.SubscribeFrames(["BTC-USDT-SWAP", "ETH-USDT-SWAP"], new HashSet<MicroKind>(MicroKinds.All));
        var args = frames.Select(f => JsonDocument.Parse(f).RootElement)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("args").EnumerateArray()
                .Select(a => a.GetProperty("channel").GetString() + "/" + (a.TryGetProperty("instId", out var i) ? i.GetString() : "instType=" + a.GetProperty("instType").GetString()))
                .ToList());
        Assert.Equal(["bbo-tbt/BTC-USDT-SWAP", "bbo-tbt/ETH-USDT-SWAP"], args["quotes"]);
        Assert.Equal(["books/BTC-USDT-SWAP", "books/ETH-USDT-SWAP"], args["book"]);
        Assert.Equal(["liquidation-orders/instType=SWAP"], args["liquidations"]);
        Assert.Equal(
            ["mark-price/BTC-USDT-SWAP", "mark-price/ETH-USDT-SWAP", "funding-rate/BTC-USDT-SWAP", "funding-rate/ETH-USDT-SWAP", "open-interest/BTC-USDT-SWAP", "open-interest/ETH-USDT-SWAP",
                "index-tickers/BTC-USDT", "index-tickers/ETH-USDT"],
            args["derivatives"]);
        Assert.All(frames, f => Assert.Equal("subscribe", JsonDocument.Parse(f).RootElement.GetProperty("op").GetString()));
    }

    [Fact]
    public void UrlFor_EveryKind_IsThePublicEndpoint()
    {
        var options = new ExporterOptions { Exchange = "okx", InstIds = ["BTC-USDT-SWAP"] };
        Assert.All(MicroKinds.All, kind => Assert.Equal(options.OkxWsPublic, OkxMicroChannels.UrlFor(kind, options)));
        Assert.Equal(OkxWsEndpoint.Business, OkxMicroChannels.EndpointOf("trades-all"));
    }

    [Fact]
    public void ParseRestBook_OrderBookAnswer_IsRestSnapshotWithSeqId()
    {
        const string body = "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"asks\":[[\"41006.8\",\"0.60038921\",\"0\",\"1\"]],\"bids\":[[\"41006.3\",\"0.30178218\",\"0\",\"2\"]],\"ts\":\"1629966436396\",\"seqId\":900}]}";
        var book = OkxMicroProtocol.ParseRestBook(Encoding.UTF8.GetBytes(body), "BTC-USDT", 8, out var problem);
        Assert.Null(problem);
        Assert.Equal((BookRecordType.Snapshot, (long?)900, "rest", 1629966436396L), (book!.Type, book.Seq, book.Src, book.Ts));
        Assert.Equal(new BookLevel("41006.3", "0.30178218"), Assert.Single(book.Bids));
        Assert.Null(OkxMicroProtocol.ParseRestBook("{\"code\":\"51001\",\"msg\":\"Instrument ID does not exist\",\"data\":[]}"u8, "X", 8, out problem));
        Assert.Equal("OKX error 51001: Instrument ID does not exist", problem);
    }

    /// <summary>Collects what the parser emits.</summary>
    private sealed class OkxRecordedMicro : IMicroSink
    {
        public List<QuoteRecord> Quotes { get; } = [];
        public List<BookRecord> Books { get; } = [];
        public List<LiquidationRecord> Liquidations { get; } = [];
        public List<DerivativesRecord> DerivativesSeen { get; } = [];

        public int Count => Quotes.Count + Books.Count + Liquidations.Count + DerivativesSeen.Count;

        public void Quote(QuoteRecord quote) => Quotes.Add(quote);

        public void Book(BookRecord book) => Books.Add(book);

        public void Liquidation(LiquidationRecord liquidation) => Liquidations.Add(liquidation);

        public void Derivatives(DerivativesRecord derivatives) => DerivativesSeen.Add(derivatives);
    }
}
