using System.Text.Json;
using Pipeline.Calculators.BookDepth;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;

namespace Pipeline.Calculators.Tests.BookDepth;

/// <summary>Top-of-book imbalance and depth within 10 bps from book lines, worked by hand.</summary>
public sealed class BookDepthStateTests
{
    internal static BookRecord Line(BookRecordType type, long seq, (string Px, string Sz)[] bids, (string Px, string Sz)[] asks, string? reason = null) => new()
    {
        Exchange = TestVault.Exchange, InstId = TestVault.InstId, Type = type, Ts = 1_765_670_400_000 + seq, Seq = type == BookRecordType.Resync ? null : seq,
        PrevSeq = type == BookRecordType.Update ? seq - 1 : null, Bids = [.. bids.Select(b => new BookLevel(b.Px, b.Sz))],
        Asks = [.. asks.Select(a => new BookLevel(a.Px, a.Sz))], Reason = reason, RecvTs = 1_765_670_400_000 + seq, Src = "ws",
    };

    private static BookRecord Snapshot() => Line(BookRecordType.Snapshot, 1, [("100", "2"), ("99.95", "3"), ("99.8", "5")], [("100.1", "1"), ("100.2", "4"), ("100.5", "7")]);

    [Fact]
    public void DepthWithin_10Bps_SumsTheLevelsInsideTheBandAsHandWorked()
    {
        var s = new BookDepthState();
        s.OnBook(Snapshot());
        Assert.Equal(100.05m, s.Mid());
        Assert.Equal(1m / 3m, s.TopImbalance()); // (2 − 1)/3
        // band: [100.05·0.999, 100.05·1.001] = [99.94995, 100.15005]: bids 100 and 99.95, ask 100.1
        Assert.Equal((5m, 1m), s.DepthWithin(10m));

        s.OnBook(Line(BookRecordType.Update, 2, [("100", "0")], [("100.15", "2")]));
        Assert.Equal(100.025m, s.Mid()); // (99.95 + 100.1)/2
        // band [99.924975, 100.125025]: bid 99.95 (3); asks 100.1 (1), 100.15 is outside
        Assert.Equal((3m, 1m), s.DepthWithin(10m));
        Assert.Equal(0.5m, s.TopImbalance());
    }

    [Fact]
    public void OnBook_ResyncThenUpdateBeforeSnapshot_UnknownAndTheUpdateSkipped()
    {
        var s = new BookDepthState();
        s.OnBook(Snapshot());
        s.OnBook(Line(BookRecordType.Resync, 2, [], [], "gap: prevSeq 5 after seq 1"));
        Assert.Null(s.Mid());
        Assert.Null(s.DepthWithin(10m));
        Assert.Equal(1, s.MinuteResyncs);
        s.OnBook(Line(BookRecordType.Update, 3, [("100", "9")], []));
        Assert.Equal(1, s.SkippedLines);
        Assert.Null(s.TopImbalance());
    }

    [Fact]
    public void Save_ThroughTheStateFile_RestoresTheSameBook()
    {
        var s = new BookDepthState();
        s.OnBook(Snapshot());
        s.OnBook(Line(BookRecordType.Update, 2, [("99.9", "1.5")], [("100.1", "0")]));
        s.Save();
        using var dir = new TempDir();
        var file = new StateFile<BookDepthState>(dir.File("book.state.json"), syncDirectory: false);
        file.Write(s);
        var restored = file.Read()!;
        Assert.Equal(JsonSerializer.Serialize(s.Book.Bids()), JsonSerializer.Serialize(restored.Book.Bids()));
        Assert.Equal(JsonSerializer.Serialize(s.Book.Asks()), JsonSerializer.Serialize(restored.Book.Asks()));
        Assert.Equal(s.Book.Seq, restored.Book.Seq);
        Assert.Equal(s.DepthWithin(10m), restored.DepthWithin(10m));
    }
}
