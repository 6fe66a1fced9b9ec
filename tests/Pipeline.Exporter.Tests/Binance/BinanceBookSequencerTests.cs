using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>
/// The USD-M local-book procedure, step by step, with ids worked by hand: buffer until the snapshot, skip what the
/// snapshot already holds, the first event brackets lastUpdateId (U ≤ L ≤ u, not the spot rule U ≤ L+1 ≤ u), then the
/// pu chain; a break is a resync with its reason and nothing is recorded across it.
/// </summary>
public sealed class BinanceBookSequencerTests
{
    private readonly BinanceBookSequencer _sequencer = new("BTCUSDT");

    private static BookRecord Snapshot(long lastUpdateId) => new()
    {
        Exchange = "binance", InstId = "BTCUSDT", Type = BookRecordType.Snapshot, Ts = 1, Seq = lastUpdateId,
        Bids = [new BookLevel("100", "1")], Asks = [new BookLevel("101", "1")], RecvTs = 1, Src = "rest",
    };

    private static BookRecord Diff(long first, long last, long prev) => new()
    {
        Exchange = "binance", InstId = "BTCUSDT", Type = BookRecordType.Update, Ts = 1, Seq = last, PrevSeq = prev, FirstSeq = first,
        Bids = [new BookLevel("100", "2")], RecvTs = 1, Src = "ws",
    };

    private static BookRecord Resync(string reason) => new()
    {
        Exchange = "binance", InstId = "BTCUSDT", Type = BookRecordType.Resync, Ts = 1, Reason = reason, RecvTs = 1, Src = "ws",
    };

    private BookAction Action(BookRecord line) => _sequencer.Decide(line).Action;

    [Fact]
    public void Decide_UpdatesBeforeSnapshot_Buffered()
    {
        Assert.Equal(new BookDecision(BookAction.Buffer, "waiting for the REST snapshot"), _sequencer.Decide(Diff(90, 95, 89)));
        Assert.Equal(BookAction.Buffer, Action(Diff(96, 99, 95)));
        Assert.Null(_sequencer.LastSeq);
    }

    [Fact]
    public void Decide_FullProcedure_BufferSnapshotSkipBracketChain()
    {
        // Buffered while the snapshot (lastUpdateId 100) is fetched: 90-95, 96-99, 100-104, 105-110.
        BookRecord[] buffered = [Diff(90, 95, 89), Diff(96, 99, 95), Diff(100, 104, 99), Diff(105, 110, 104)];
        Assert.All(buffered, line => Assert.Equal(BookAction.Buffer, Action(line)));

        Assert.Equal(BookDecision.Record, _sequencer.Decide(Snapshot(100)));
        Assert.Equal(100, _sequencer.LastSeq);

        // Replayed in order: u < 100 is older than the snapshot.
        Assert.Equal(new BookDecision(BookAction.Skip, "u 95 < snapshot lastUpdateId 100"), _sequencer.Decide(buffered[0]));
        Assert.Equal(BookAction.Skip, Action(buffered[1]));
        Assert.Equal(BookAction.Record, Action(buffered[2])); // U 100 ≤ 100 ≤ u 104
        Assert.Equal(104, _sequencer.LastSeq);
        Assert.Equal(BookAction.Record, Action(buffered[3])); // pu 104 = previous u
        Assert.Equal(BookAction.Record, Action(Diff(111, 118, 110))); // live
        Assert.Equal(118, _sequencer.LastSeq);
    }

    [Fact]
    public void Decide_FirstEventEndingAtLastUpdateId_RecordedUnderTheFuturesRule()
    {
        // U 95 ≤ L 100 ≤ u 100: the futures rule applies it; the spot rule (u ≥ L+1) would have skipped it.
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(BookAction.Record, Action(Diff(95, 100, 94)));
        Assert.Equal(BookAction.Record, Action(Diff(101, 103, 100)));
    }

    [Fact]
    public void Decide_FirstEventStartingAfterLastUpdateId_ResyncSnapshotTooOld()
    {
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(new BookDecision(BookAction.Resync, "gap: first event U 101 > snapshot lastUpdateId 100 (snapshot too old)"),
            _sequencer.Decide(Diff(101, 105, 100)));
        Assert.Null(_sequencer.LastSeq);
    }

    [Fact]
    public void Decide_PuNotPreviousU_ResyncWithReasonThenBufferUntilNewSnapshot()
    {
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(BookAction.Record, Action(Diff(98, 104, 97)));

        // 105-110 was lost: the next event says it follows 110, not 104.
        Assert.Equal(new BookDecision(BookAction.Resync, "gap: pu 110 != previous u 104"), _sequencer.Decide(Diff(111, 115, 110)));

        // Nothing is recorded across the gap: later events wait for the new snapshot.
        Assert.Equal(BookAction.Buffer, Action(Diff(116, 120, 115)));
        Assert.Equal(BookAction.Record, Action(Resync("gap: pu 110 != previous u 104")));
        Assert.Equal(BookAction.Buffer, Action(Diff(121, 125, 120)));

        Assert.Equal(BookAction.Record, Action(Snapshot(122)));
        Assert.Equal(BookAction.Skip, Action(Diff(116, 120, 115)));
        Assert.Equal(BookAction.Record, Action(Diff(121, 125, 120)));
        Assert.Equal(BookAction.Record, Action(Diff(126, 126, 125)));
        Assert.Equal(126, _sequencer.LastSeq);
    }

    [Fact]
    public void Decide_EventThatRevealedTheGap_BufferedWhenDecidedAgainAndAppliesAfterTheNewSnapshot()
    {
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(BookAction.Record, Action(Diff(98, 104, 97)));
        var revealing = Diff(111, 115, 110);
        Assert.Equal(BookAction.Resync, Action(revealing));

        Assert.Equal(BookAction.Buffer, Action(revealing));
        Assert.Equal(BookAction.Record, Action(Snapshot(112)));
        Assert.Equal(BookAction.Record, Action(revealing)); // U 111 <= 112 <= u 115
        Assert.Equal(115, _sequencer.LastSeq);
    }

    [Fact]
    public void Decide_RepeatedEventAfterSync_SkippedNotAGap()
    {
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(BookAction.Record, Action(Diff(99, 104, 98)));
        Assert.Equal(BookAction.Record, Action(Diff(105, 110, 104)));
        Assert.Equal(new BookDecision(BookAction.Skip, "repeat: u 104 <= last applied u 110"), _sequencer.Decide(Diff(99, 104, 98)));
        Assert.Equal(BookAction.Record, Action(Diff(111, 112, 110)));
    }

    [Fact]
    public void Decide_UpdateLackingIds_Resync()
    {
        _sequencer.Decide(Snapshot(100));
        var line = Diff(99, 104, 98) with { PrevSeq = null };
        Assert.Equal(new BookDecision(BookAction.Resync, "update lacks U, u or pu"), _sequencer.Decide(line));
    }

    [Fact]
    public void Reset_AfterSync_BookUnknownUntilNextSnapshot()
    {
        _sequencer.Decide(Snapshot(100));
        Assert.Equal(BookAction.Record, Action(Diff(99, 104, 98)));
        _sequencer.Reset();
        Assert.Null(_sequencer.LastSeq);
        Assert.Equal(BookAction.Buffer, Action(Diff(105, 110, 104)));
    }

    [Fact]
    public void Decide_SnapshotWithoutLastUpdateId_Throws()
    {
        Assert.Throws<ArgumentException>(() => _sequencer.Decide(Snapshot(1) with { Seq = null }));
    }

    [Fact]
    public void Decide_RecordedLines_ReconstructTheBookAcrossAResync()
    {
        // What the recorder writes when it follows the decisions is a valid book_perps sequence for OrderBook.
        var book = new OrderBook();
        BookRecord[] lines =
        [
            Snapshot(100), Diff(99, 104, 98) with { Bids = [new BookLevel("100", "5")] },
            Diff(111, 115, 110), Snapshot(120) with { Bids = [new BookLevel("99", "3")] },
            Diff(118, 121, 117) with { Bids = [new BookLevel("99", "0")], Asks = [new BookLevel("102", "4")] },
        ];
        foreach (var line in lines)
        {
            var decision = _sequencer.Decide(line);
            if (decision.Action == BookAction.Record)
            {
                book.Apply(line);
            }
            else if (decision.Action == BookAction.Resync)
            {
                var resync = Resync(decision.Reason!);
                Assert.Equal(BookAction.Record, Action(resync));
                book.Apply(resync);
                Assert.False(book.IsKnown);
            }
        }

        Assert.True(book.IsKnown);
        Assert.Equal(121, book.Seq);
        Assert.Empty(book.Bids());
        Assert.Equal([new BookLevel("101", "1"), new BookLevel("102", "4")], book.Asks());
    }
}
