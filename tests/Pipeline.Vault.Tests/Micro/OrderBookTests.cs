using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Tests.Micro;

public sealed class OrderBookTests
{
    private static BookRecord Line(BookRecordType type, long seq, BookLevel[] bids, BookLevel[] asks) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = type, Ts = seq * 10, Seq = type == BookRecordType.Resync ? null : seq,
        PrevSeq = type == BookRecordType.Update ? seq - 1 : null, Bids = bids, Asks = asks, RecvTs = seq * 10 + 1, Src = "ws",
    };

    [Fact]
    public void Apply_SnapshotThenUpdates_LevelsOrderedByValueWithTheSentStrings()
    {
        var book = new OrderBook();
        book.Apply(Line(BookRecordType.Snapshot, 1, [new("65000.10", "1"), new("64999.9", "2")], [new("65000.2", "3"), new("65001", "4")]));
        book.Apply(Line(BookRecordType.Update, 2, [new("65000.10", "0"), new("65000.15", "5")], [new("65000.20", "7")]));

        Assert.Equal([new BookLevel("65000.15", "5"), new BookLevel("64999.9", "2")], book.Bids());
        Assert.Equal([new BookLevel("65000.20", "7"), new BookLevel("65001", "4")], book.Asks()); // 65000.2 and 65000.20 are one level
        Assert.Equal(new BookLevel("65000.15", "5"), book.BestBid);
        Assert.Equal(2, book.Seq);
        Assert.Equal([new BookLevel("65000.20", "7")], book.Asks(1));
    }

    [Fact]
    public void Apply_UpdateBeforeSnapshotOrAfterResync_Throws()
    {
        var book = new OrderBook();
        Assert.Throws<InvalidOperationException>(() => book.Apply(Line(BookRecordType.Update, 2, [new("1", "1")], [])));
        book.Apply(Line(BookRecordType.Snapshot, 3, [new("1", "1")], [new("2", "1")]));
        book.Apply(Line(BookRecordType.Resync, 4, [], []));
        Assert.False(book.IsKnown);
        Assert.Equal(0, book.BidCount);
        Assert.Throws<InvalidOperationException>(() => book.Apply(Line(BookRecordType.Update, 5, [new("1", "2")], [])));
    }
}
