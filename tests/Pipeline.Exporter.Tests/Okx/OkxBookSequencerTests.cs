using System.Text;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>
/// <see cref="OkxBookSequencer"/> and <see cref="OkxBookChecksum"/>: OKX's seqId/prevSeqId chain with its documented
/// exceptions (keep-alive, maintenance reset), the CRC32 of the top 25 levels checked against values computed
/// independently (Python zlib.crc32 on the documentation's check strings), and a zero checksum never checked.
/// </summary>
public sealed class OkxBookSequencerTests
{
    private readonly OkxBookSequencer _sequencer = new("BTC-USDT-SWAP");

    // The documentation's checksum examples (OKX v5 "Checksum"; the same ones the OKEx v3 page gave with values):
    // a book of two levels a side, and one with one bid and three asks.
    private const string EvenText = "3366.1:7:3366.8:9:3366:6:3368:8";
    private const int EvenCrc = -1881014294; // zlib.crc32(EvenText) as signed 32-bit
    private const string OddText = "3366.1:7:3366.8:9:3368:8:3372:8";
    private const int OddCrc = 831078360;

    [Fact]
    public void Crc32_DocumentationCheckStrings_MatchIndependentValues()
    {
        Assert.Equal(EvenCrc, OkxBookChecksum.Crc32(EvenText));
        Assert.Equal(OddCrc, OkxBookChecksum.Crc32(OddText));
    }

    [Fact]
    public void Text_BidsAndAsksOfUnequalDepth_InterleavesThenContinuesWithTheLongerSide()
    {
        Assert.Equal(EvenText, OkxBookChecksum.Text([L("3366.1", "7"), L("3366", "6")], [L("3366.8", "9"), L("3368", "8")]));
        Assert.Equal(OddText, OkxBookChecksum.Text([L("3366.1", "7")], [L("3366.8", "9"), L("3368", "8"), L("3372", "8")]));
    }

    [Fact]
    public void Text_MoreThan25Levels_CoversOnlyTheBest25OfEachSide()
    {
        var bids = Enumerable.Range(0, 30).Select(i => L((1000 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), "1")).ToList();
        var text = OkxBookChecksum.Text(bids, []);
        Assert.Equal(25, text.Split(':').Length / 2);
        Assert.EndsWith("976:1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SnapshotWithMatchingChecksumThenChainedUpdates_RecordsEach()
    {
        Assert.Equal(BookAction.Record, _sequencer.Decide(Snapshot(10, [L("3366.1", "7"), L("3366", "6")], [L("3366.8", "9"), L("3368", "8")], EvenCrc)).Action);
        // Remove the bid 3366 and add the ask 3372: the book becomes the odd example.
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(10, 15, [L("3366", "0")], [L("3372", "8")], OddCrc)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(15, 16, [], [L("3372", "9")], 0)).Action);
        Assert.Equal("3372", _sequencer.Book.Asks()[2].Px);
        Assert.Equal("9", _sequencer.Book.Asks()[2].Sz);
    }

    [Fact]
    public void Decide_UpdateWhosePrevSeqIdIsNotTheLastSeqId_IsResyncNamingTheGap()
    {
        _sequencer.Decide(Snapshot(10, [L("1", "1")], [L("2", "1")], 0));
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(10, 15, [L("1", "2")], [], 0)).Action);
        var decision = _sequencer.Decide(Update(17, 20, [L("1", "3")], [], 0));
        Assert.Equal(new BookDecision(BookAction.Resync, "gap: prevSeqId 17 after seqId 15"), decision);
        Assert.False(_sequencer.Book.IsKnown);
        // Until a new snapshot nothing applies: later updates are held, not recorded.
        Assert.Equal(BookAction.Buffer, _sequencer.Decide(Update(20, 21, [L("1", "4")], [], 0)).Action);
    }

    [Fact]
    public void Decide_ChecksumMismatch_IsResyncWithComputedAndSentValues()
    {
        _sequencer.Decide(Snapshot(10, [L("3366.1", "7"), L("3366", "6")], [L("3366.8", "9"), L("3368", "8")], EvenCrc));
        // The update leaves the odd book, but the checksum sent is the even one: the local book must be wrong.
        var decision = _sequencer.Decide(Update(10, 15, [L("3366", "0")], [L("3372", "8")], EvenCrc));
        Assert.Equal(new BookDecision(BookAction.Resync, $"checksum mismatch at seqId 15: computed {OddCrc}, sent {EvenCrc}"), decision);
        Assert.False(_sequencer.Book.IsKnown);
    }

    [Fact]
    public void Decide_SnapshotWhoseChecksumDoesNotMatchItsLevels_IsResync()
    {
        var decision = _sequencer.Decide(Snapshot(10, [L("3366.1", "7")], [L("3366.8", "9")], EvenCrc));
        Assert.Equal(BookAction.Resync, decision.Action);
        Assert.StartsWith("checksum mismatch at seqId 10", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DocumentationBooksExample_ItsChecksumIsNotTheCrcOfItsOwnLevels()
    {
        // OKX's books push example carries checksum -855196043, but the CRC32 of its levels is -2102840145 (zlib):
        // the example is illustrative. The sequencer says so rather than trusting it.
        var protocol = new OkxMicroProtocol(["BTC-USDT"]);
        BookRecord? snapshot = null;
        protocol.TryParse(Venues.WireFixtures.Bytes("Okx", "ws-books-snapshot-checksum.json"), 1, new OneBook(b => snapshot = b), out _);
        var decision = new OkxBookSequencer("BTC-USDT").Decide(snapshot!);
        Assert.Equal(new BookDecision(BookAction.Resync, "checksum mismatch at seqId 123456: computed -2102840145, sent -855196043"), decision);
    }

    [Fact]
    public void Decide_CurrentDocumentationSnapshotThenUpdate_AreRecordedOnSequenceAlone()
    {
        var protocol = new OkxMicroProtocol(["BTC-USDT"]);
        var lines = new List<BookRecord>();
        protocol.TryParse(Venues.WireFixtures.Bytes("Okx", "ws-books-snapshot.json"), 1, new OneBook(lines.Add), out _);
        protocol.TryParse(Venues.WireFixtures.Bytes("Okx", "ws-books-update.json"), 2, new OneBook(lines.Add), out _);
        var sequencer = new OkxBookSequencer("BTC-USDT");
        Assert.Equal([BookAction.Record, BookAction.Record], lines.Select(l => sequencer.Decide(l).Action));
        Assert.Equal(new BookLevel("8476.97", "256"), sequencer.Book.BestBid);
    }

    [Fact]
    public void Decide_ZeroOrAbsentChecksum_IsNotVerified()
    {
        // Levels no checksum could describe: with checksum 0 (OKX from 23 June 2026) only the sequence counts.
        Assert.Equal(BookAction.Record, _sequencer.Decide(Snapshot(10, [L("1", "1")], [L("2", "1")], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(10, 11, [L("1", "5")], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(11, 12, [L("1", "6")], [], null)).Action);
    }

    [Fact]
    public void Decide_KeepAliveWithSeqIdEqualToPrevSeqIdAndNoLevels_IsSkippedWithoutBreakingTheChain()
    {
        _sequencer.Decide(Snapshot(10, [L("1", "1")], [L("2", "1")], 0));
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(10, 15, [L("1", "2")], [], 0)).Action);
        var keepAlive = _sequencer.Decide(Update(15, 15, [], [], 0));
        Assert.Equal(BookAction.Skip, keepAlive.Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(15, 16, [L("1", "3")], [], 0)).Action);
    }

    [Fact]
    public void Decide_MaintenanceResetWithSeqIdBelowPrevSeqId_ContinuesFromTheNewSeqId()
    {
        // The documentation's example: snapshot 10; 10→15; 15→15 (no update); 15→3 (reset); 3→5.
        _sequencer.Decide(Snapshot(10, [L("1", "1")], [L("2", "1")], 0));
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(10, 15, [L("1", "2")], [], 0)).Action);
        Assert.Equal(BookAction.Skip, _sequencer.Decide(Update(15, 15, [], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(15, 3, [L("1", "3")], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(3, 5, [L("1", "4")], [], 0)).Action);
        Assert.Equal(BookAction.Resync, _sequencer.Decide(Update(15, 16, [L("1", "5")], [], 0)).Action);
    }

    [Fact]
    public void Decide_UpdatesBeforeAnySnapshot_AreBufferedAndNeverApplied()
    {
        Assert.Equal(new BookDecision(BookAction.Buffer, "no snapshot yet"), _sequencer.Decide(Update(1, 2, [L("1", "1")], [], 0)));
        Assert.False(_sequencer.Book.IsKnown);
    }

    [Fact]
    public void Decide_RestSnapshot_SkipsOlderUpdatesAndAcceptsTheOneThatStraddlesIt()
    {
        // OKX's documented REST start: drop events with seqId <= the snapshot's; the first kept one has prevSeqId <= it < seqId.
        _sequencer.Decide(Snapshot(100, [L("1", "1")], [L("2", "1")], 0, src: "rest"));
        Assert.Equal(BookAction.Skip, _sequencer.Decide(Update(90, 100, [L("1", "9")], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(95, 104, [L("1", "2")], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(104, 110, [L("1", "3")], [], 0)).Action);
        Assert.Equal("3", _sequencer.Book.BestBid!.Sz);
    }

    [Fact]
    public void Decide_RestSnapshotOlderThanTheUpdateStream_IsResyncAsStale()
    {
        _sequencer.Decide(Snapshot(100, [L("1", "1")], [L("2", "1")], 0, src: "rest"));
        Assert.Equal(
            new BookDecision(BookAction.Resync, "stale snapshot: seqId 100 is before the first update's prevSeqId 102"),
            _sequencer.Decide(Update(102, 110, [L("1", "2")], [], 0)));
    }

    [Fact]
    public void Decide_WebSocketSnapshot_DoesNotAcceptAStraddlingUpdate()
    {
        _sequencer.Decide(Snapshot(100, [L("1", "1")], [L("2", "1")], 0));
        Assert.Equal(BookAction.Resync, _sequencer.Decide(Update(95, 104, [L("1", "2")], [], 0)).Action);
    }

    [Fact]
    public void Reset_AfterAReconnect_NeedsANewSnapshot()
    {
        _sequencer.Decide(Snapshot(10, [L("1", "1")], [L("2", "1")], 0));
        _sequencer.Reset();
        Assert.Equal(BookAction.Buffer, _sequencer.Decide(Update(10, 11, [L("1", "2")], [], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Snapshot(20, [L("1", "1")], [L("2", "1")], 0)).Action);
        Assert.Equal(BookAction.Record, _sequencer.Decide(Update(20, 21, [L("1", "2")], [], 0)).Action);
    }

    private static BookLevel L(string px, string sz) => new(px, sz);

    private static BookRecord Snapshot(long seq, List<BookLevel> bids, List<BookLevel> asks, long? checksum, string src = "ws") => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Snapshot, Ts = 1000 + seq, Seq = seq, Bids = bids, Asks = asks,
        Checksum = checksum == 0 ? null : checksum, RecvTs = 1, Src = src,
    };

    private static BookRecord Update(long prev, long seq, List<BookLevel> bids, List<BookLevel> asks, long? checksum) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Update, Ts = 1000 + seq, Seq = seq, PrevSeq = prev,
        Bids = bids, Asks = asks, Checksum = checksum, RecvTs = 1, Src = "ws",
    };

    /// <summary>Takes the one book line a frame holds.</summary>
    private sealed class OneBook(Action<BookRecord> take) : IMicroSink
    {
        public void Quote(QuoteRecord quote) => throw new InvalidOperationException("no quote expected");

        public void Book(BookRecord book) => take(book);

        public void Liquidation(LiquidationRecord liquidation) => throw new InvalidOperationException("no liquidation expected");

        public void Derivatives(DerivativesRecord derivatives) => throw new InvalidOperationException("no derivatives expected");
    }
}
