using Pipeline.Vault.Compaction;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Tests.Micro;

/// <summary>
/// <see cref="BookReconstructor"/>: the book at an instant is the last snapshot at or before it plus every update up
/// to it, each checked to continue the book; inside a resync → snapshot window it is unknown, and why. Expected books
/// are worked by hand from the lines.
/// </summary>
public sealed class BookReconstructorTests
{
    private static readonly long T0 = TestVault.T(TestVault.Day1, 10, 0);

    internal static BookRecord Snapshot(long ts, long seq, BookLevel[] bids, BookLevel[] asks, string exchange = "okx", string instId = "BTC-USDT-SWAP") => new()
    {
        Exchange = exchange, InstId = instId, Type = BookRecordType.Snapshot, Ts = ts, Seq = seq, Bids = bids, Asks = asks,
        RecvTs = ts + 5, Src = exchange == "binance" ? "rest" : "ws",
    };

    internal static BookRecord Update(long ts, long seq, long prev, BookLevel[] bids, BookLevel[] asks, long? first = null,
        string exchange = "okx", string instId = "BTC-USDT-SWAP") => new()
    {
        Exchange = exchange, InstId = instId, Type = BookRecordType.Update, Ts = ts, Seq = seq, PrevSeq = prev, FirstSeq = first,
        Bids = bids, Asks = asks, RecvTs = ts + 5, Src = "ws",
    };

    internal static BookRecord Resync(long ts, string reason, string exchange = "okx", string instId = "BTC-USDT-SWAP") => new()
    {
        Exchange = exchange, InstId = instId, Type = BookRecordType.Resync, Ts = ts, Reason = reason, RecvTs = ts + 5, Src = "ws",
    };

    /// <summary>Two snapshots with a resync between them; the updates' effects are worked out in the tests.</summary>
    internal static TestVault Day()
    {
        var vault = TestVault.Create();
        vault.AppendMicro(
            Snapshot(T0, 100, [new("100.5", "2"), new("100.4", "1")], [new("100.6", "3"), new("100.7", "1.5")]),
            Update(T0 + 100, 101, 100, [new("100.5", "0"), new("100.3", "7")], []),
            Update(T0 + 200, 102, 101, [], [new("100.6", "1.25"), new("100.65", "4")]),
            Resync(T0 + 300, "gap: prevSeq 104 after seq 102"),
            Snapshot(T0 + 400, 110, [new("100.2", "9")], [new("100.8", "2")]),
            Update(T0 + 500, 111, 110, [new("100.25", "1")], []));
        return vault;
    }

    [Fact]
    public void At_BetweenUpdates_IsTheSnapshotPlusEveryUpdateUpToTheInstant()
    {
        using var vault = Day();
        var reconstructor = new BookReconstructor(vault.Layout);

        var at150 = reconstructor.At("okx", "BTC-USDT-SWAP", T0 + 150);
        Assert.Equal([new BookLevel("100.4", "1"), new BookLevel("100.3", "7")], at150.Book!.Bids());
        Assert.Equal([new BookLevel("100.6", "3"), new BookLevel("100.7", "1.5")], at150.Book.Asks());
        Assert.Equal(101, at150.Book.Seq);
        Assert.Equal(1, at150.UpdatesApplied);

        var at100 = reconstructor.At("okx", "BTC-USDT-SWAP", T0 + 100); // a line at the instant is applied
        Assert.Equal(at150.Book.Bids(), at100.Book!.Bids());
        Assert.Equal(101, at100.Book.Seq);
    }

    /// <summary>
    /// The update at T0+200 is the last line before a resync: the changes the resync says were missed (seq 103, 104)
    /// happened at an unknown moment after it, so from that line up to the resync the book is unknown, not the last
    /// known one (which the reconstructor used to return although the market had moved).
    /// </summary>
    [Fact]
    public void At_AfterTheLastLineBeforeAResync_IsUnknownNamingTheResync()
    {
        using var vault = Day();
        var reconstructor = new BookReconstructor(vault.Layout);

        foreach (var at in new[] { T0 + 200, T0 + 250, T0 + 299 })
        {
            var result = reconstructor.At("okx", "BTC-USDT-SWAP", at);
            Assert.Null(result.Book);
            Assert.Contains("unknown before the resync at 2025-12-14T10:00:00.300Z (gap: prevSeq 104 after seq 102", result.Unknown, StringComparison.Ordinal);
            Assert.Contains("the next snapshot is at 2025-12-14T10:00:00.400Z", result.Unknown, StringComparison.Ordinal);
        }

        Assert.Equal(101, reconstructor.At("okx", "BTC-USDT-SWAP", T0 + 199).Book!.Seq); // before that line: known
        Assert.Equal(111, reconstructor.At("okx", "BTC-USDT-SWAP", T0 + 600).Book!.Seq); // after the last line, no resync follows: known
    }

    /// <summary>
    /// A recorder killed before midnight writes its "restart" resync when it comes back after midnight: an instant between
    /// the last line of the old day and that resync (in the next day's file) is unknown; the market moved during the downtime.
    /// </summary>
    [Fact]
    public void At_BeforeARestartResyncInTheNextDaysFile_IsUnknown()
    {
        using var vault = TestVault.Create();
        var midnight = TestVault.T(TestVault.Day1.AddDays(1), 0, 0);
        vault.AppendMicro(
            Snapshot(midnight - 1000, 7, [new("10", "1")], [new("11", "1")]),
            Update(midnight - 500, 8, 7, [new("10.5", "2")], []),
            Resync(midnight + 2000, "restart"),
            Snapshot(midnight + 2100, 20, [new("10", "3")], [new("11", "1")]));
        var reconstructor = new BookReconstructor(vault.Layout);

        Assert.Equal(7, reconstructor.At("okx", "BTC-USDT-SWAP", midnight - 600).Book!.Seq);
        foreach (var at in new[] { midnight - 500, midnight - 1, midnight + 1999 })
        {
            var result = reconstructor.At("okx", "BTC-USDT-SWAP", at);
            Assert.Null(result.Book);
            Assert.Contains("unknown before the resync at 2025-12-15T00:00:02.000Z (restart", result.Unknown, StringComparison.Ordinal);
        }

        Assert.Equal(20, reconstructor.At("okx", "BTC-USDT-SWAP", midnight + 2100).Book!.Seq);
    }

    [Fact]
    public void At_InsideResyncWindow_IsUnknownWithTheResyncReasonAndTheNextSnapshot()
    {
        using var vault = Day();
        var result = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 350);

        Assert.Null(result.Book);
        Assert.Contains("gap: prevSeq 104 after seq 102", result.Unknown, StringComparison.Ordinal);
        Assert.Contains("from 2025-12-14T10:00:00.300Z", result.Unknown, StringComparison.Ordinal);
        Assert.Contains("the next snapshot is at 2025-12-14T10:00:00.400Z", result.Unknown, StringComparison.Ordinal);
    }

    [Fact]
    public void At_BeforeTheFirstSnapshot_IsUnknown()
    {
        using var vault = Day();
        var result = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 - 1);

        Assert.Null(result.Book);
        Assert.Contains("no book snapshot is recorded at or before 2025-12-14T09:59:59.999Z", result.Unknown, StringComparison.Ordinal);
    }

    [Fact]
    public void At_AfterALaterSnapshot_StartsThereNotAtTheDayStart()
    {
        using var vault = Day();
        var result = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 500);

        Assert.Equal([new BookLevel("100.25", "1"), new BookLevel("100.2", "9")], result.Book!.Bids());
        Assert.Equal([new BookLevel("100.8", "2")], result.Book.Asks());
        Assert.Equal(T0 + 400, result.SnapshotTs);
        Assert.Equal(1, result.UpdatesApplied); // only the update after the second snapshot was parsed and applied
    }

    [Fact]
    public void At_AfterMidnight_ContinuesFromThePreviousDaysSnapshot()
    {
        using var vault = TestVault.Create();
        var midnight = TestVault.T(TestVault.Day1.AddDays(1), 0, 0);
        vault.AppendMicro(
            Snapshot(midnight - 100, 7, [new("10", "1")], [new("11", "1")]),
            Update(midnight + 100, 8, 7, [new("10.5", "2")], []),
            Update(midnight + 300, 9, 8, [new("10.5", "0")], []));

        var result = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", midnight + 200);

        Assert.Equal([new BookLevel("10.5", "2"), new BookLevel("10", "1")], result.Book!.Bids());
        Assert.Equal(midnight - 100, result.SnapshotTs);
        Assert.Equal(8, result.Book.Seq);
    }

    [Fact]
    public void At_BinanceFirstUpdateStraddlingTheSnapshot_Applies()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro(
            Snapshot(T0, 1000, [new("50000.1", "1")], [new("50000.2", "1")], "binance", "BTCUSDT"),
            Update(T0 + 10, 1005, 990, [new("50000.1", "3")], [], first: 995, "binance", "BTCUSDT"), // U 995 <= 1001 <= u 1005
            Update(T0 + 20, 1010, 1005, [], [new("50000.3", "2")], first: 1006, "binance", "BTCUSDT"));

        var result = new BookReconstructor(vault.Layout).At("binance", "BTCUSDT", T0 + 20);

        Assert.Equal([new BookLevel("50000.1", "3")], result.Book!.Bids());
        Assert.Equal([new BookLevel("50000.2", "1"), new BookLevel("50000.3", "2")], result.Book.Asks());
    }

    [Fact]
    public void At_UpdateThatDoesNotContinueTheBook_FailsNamingFileAndOffset()
    {
        using var vault = TestVault.Create();
        var paths = vault.AppendMicro(
            Snapshot(T0, 100, [new("1", "1")], [new("2", "1")]),
            Update(T0 + 10, 101, 100, [new("1", "2")], []),
            Update(T0 + 20, 104, 102, [new("1", "3")], [])); // 102..103 never recorded, and no resync
        var offset = new FileInfo(paths[0]).Length - MicroLineWriter.ToLine(Update(T0 + 20, 104, 102, [new("1", "3")], [])).Length;

        var error = Assert.Throws<InvalidDataException>(() => new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 30));

        Assert.Contains($"2025-12-14.jsonl@{offset}", error.Message, StringComparison.Ordinal);
        Assert.Contains("prevSeq 102 after seq 101", error.Message, StringComparison.Ordinal);
        Assert.Equal([new BookLevel("1", "2")], new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 15).Book!.Bids()); // before the break: proven
    }

    [Fact]
    public void At_BadLineAfterTheSnapshot_FailsNamingFileOffsetAndWhy()
    {
        using var vault = TestVault.Create();
        var path = vault.AppendMicro(Snapshot(T0, 100, [new("1", "1")], [new("2", "1")]))[0];
        var offset = new FileInfo(path).Length;
        File.AppendAllText(path, "{\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\",\"type\":\"update\",\"ts\":" +
            (T0 + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"seq\":101,\"prevSeq\":100,\"bids\":[[\"1\"]],\"asks\":[],\"recvTs\":1,\"src\":\"ws\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 20));

        Assert.Contains($"2025-12-14.jsonl@{offset}: not a book line (bids: a level is not [\"px\",\"sz\"])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_CompactedDay_GivesTheSameBookAsItsJsonl()
    {
        using var vault = Day();
        var before = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 150);
        var report = new VaultCompactor(vault.Layout, new CompactionOptions { Time = TestClock.At(TestVault.Day1.AddDays(2), TimeOnly.MinValue) }).Run();
        Assert.Contains(report.Days, d => d.Day.Micro == MicroKind.Book && d.Outcome == CompactionOutcome.Compacted);
        Assert.False(File.Exists(vault.Layout.MicroDayJsonl(MicroKind.Book, "okx", "BTC-USDT-SWAP", TestVault.Day1)));

        var after = new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 150);

        Assert.Equal(before.Book!.Bids(), after.Book!.Bids());
        Assert.Equal(before.Book.Asks(), after.Book.Asks());
        Assert.Contains("gap: prevSeq 104", new BookReconstructor(vault.Layout).At("okx", "BTC-USDT-SWAP", T0 + 350).Unknown, StringComparison.Ordinal);
    }
}
