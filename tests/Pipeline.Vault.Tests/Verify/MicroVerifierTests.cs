using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;
using static Pipeline.Vault.Tests.Micro.BookReconstructorTests;

namespace Pipeline.Vault.Tests.Verify;

/// <summary>
/// <see cref="MicroVerifier"/>: book continuity (every update applies to a known book), resyncs reported with their
/// reasons, quote seq order and repeats, repeated liquidation and derivatives lines, bad lines with file and offset.
/// </summary>
public sealed class MicroVerifierTests
{
    private static readonly long T0 = TestVault.T(TestVault.Day1, 10, 0);

    private static MicroVerifyResult Only(TestVault vault, MicroKind kind) =>
        Assert.Single(new MicroVerifier(vault.Layout).Verify(new VerifyOptions()), r => r.Kind == kind);

    private static QuoteRecord Quote(long ts, long seq) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = ts, Seq = seq, BidPx = "100.1", BidSz = "1", AskPx = "100.2", AskSz = "2",
        RecvTs = ts + 3, Src = "ws",
    };

    [Fact]
    public void Verify_BookWithResyncThenSnapshot_IsCleanAndReportsTheResyncReason()
    {
        using var vault = Day();

        var book = Only(vault, MicroKind.Book);

        Assert.True(book.IsClean, string.Join("\n", book.Problems));
        Assert.Equal((2, 3, 1, 0), (book.Snapshots, book.Updates, book.ResyncCount, book.ContinuityBreaks));
        var resync = Assert.Single(book.Resyncs);
        Assert.Equal(("2025-12-14.jsonl", T0 + 300, "gap: prevSeq 104 after seq 102"), (resync.File, resync.Ts, resync.Reason));
    }

    [Fact]
    public void Verify_SequenceGapWithoutResync_IsAContinuityBreakAtItsOffset()
    {
        using var vault = TestVault.Create();
        var paths = vault.AppendMicro(
            Snapshot(T0, 100, [new("1", "1")], [new("2", "1")]),
            Update(T0 + 10, 101, 100, [new("1", "2")], []));
        var offset = new FileInfo(paths[0]).Length;
        vault.AppendMicro(Update(T0 + 20, 104, 102, [new("1", "3")], []), Update(T0 + 30, 105, 104, [new("1", "4")], []));

        var book = Only(vault, MicroKind.Book);

        Assert.False(book.IsClean);
        Assert.Equal(1, book.ContinuityBreaks); // the next update continues the (unproven) line, so one break, not a cascade
        Assert.Contains(book.Problems, p => p.StartsWith($"2025-12-14.jsonl@{offset}: ", StringComparison.Ordinal) && p.Contains("prevSeq 102 after seq 101", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_UpdateAfterResyncBeforeItsSnapshot_IsADefect()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro(
            Snapshot(T0, 100, [new("1", "1")], [new("2", "1")]),
            Resync(T0 + 10, "checksum mismatch"),
            Update(T0 + 20, 101, 100, [new("1", "2")], []),
            Snapshot(T0 + 30, 200, [new("1", "1")], [new("2", "1")]));

        var book = Only(vault, MicroKind.Book);

        Assert.Equal(1, book.ContinuityBreaks);
        Assert.Contains(book.Problems, p => p.Contains("an update after a resync, before its snapshot", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_UpdateBeforeTheFirstSnapshot_IsADefect_UnlessTheRangeStartsAfterTheFirstDay()
    {
        using var vault = TestVault.Create();
        var day2 = TestVault.T(TestVault.Day1.AddDays(1), 0, 0);
        vault.AppendMicro(
            Snapshot(T0, 100, [new("1", "1")], [new("2", "1")]),
            Update(day2 + 10, 101, 100, [new("1", "2")], []));
        using var defect = TestVault.Create();
        defect.AppendMicro(Update(T0, 101, 100, [new("1", "2")], []));

        var fromDay2 = Assert.Single(new MicroVerifier(vault.Layout).Verify(new VerifyOptions { FromTs = day2 }));
        Assert.Equal((0, 1), (fromDay2.ContinuityBreaks, fromDay2.Unchecked)); // its book is on day 1, outside the range
        Assert.True(Only(vault, MicroKind.Book).IsClean); // the whole history: day 1's snapshot carries over midnight
        Assert.Equal(1, Only(defect, MicroKind.Book).ContinuityBreaks);
    }

    [Fact]
    public void Verify_QuoteSeqRepeatedOrGoingBack_IsCounted()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro(Quote(T0, 10), Quote(T0 + 1, 11), Quote(T0 + 2, 11), Quote(T0 + 2, 9), Quote(T0 + 4, 12)); // 9 at no later time: out of order

        var quotes = Only(vault, MicroKind.Quotes);

        Assert.Equal((5, 1, 1, 0), (quotes.Lines, quotes.Duplicates, quotes.OutOfOrder, quotes.SeqResetCount));
        Assert.False(quotes.IsClean);
    }

    [Fact]
    public void Verify_OkxQuoteSeqResetAtALaterTime_IsReportedAsInfoNotOutOfOrder()
    {
        // OKX restarts seqId on maintenance; the recorder keeps a lower seq at a newer event time as a new quote
        // (MicroRecorderTests), so verify must not call the recorder's own output out of order.
        using var vault = TestVault.Create();
        var path = vault.AppendMicro(Quote(T0, 500), Quote(T0 + 1, 501), Quote(T0 + 2, 502))[0];
        var offset = new FileInfo(path).Length;
        vault.AppendMicro(Quote(T0 + 5, 3), Quote(T0 + 6, 4), Quote(T0 + 7, 500), Quote(T0 + 8, 501)); // old ids recur after the reset

        var quotes = Only(vault, MicroKind.Quotes);

        Assert.True(quotes.IsClean, string.Join("; ", quotes.Problems));
        Assert.Equal((7, 0, 0), (quotes.Lines, quotes.Duplicates, quotes.OutOfOrder));
        Assert.Equal(1, quotes.SeqResetCount);
        Assert.Equal(new QuoteSeqReset("2025-12-14.jsonl", offset, T0 + 5, 3, 502), Assert.Single(quotes.SeqResets));
    }

    [Fact]
    public void Verify_QuoteRepeatedWithinTheSequenceAfterAReset_IsStillADuplicate()
    {
        using var vault = TestVault.Create();
        vault.AppendMicro(Quote(T0, 500), Quote(T0 + 5, 3), Quote(T0 + 6, 4), Quote(T0 + 6, 3)); // a replay of 3 at an old time

        var quotes = Only(vault, MicroKind.Quotes);

        Assert.Equal((1, 1), (quotes.SeqResetCount, quotes.Duplicates));
        Assert.False(quotes.IsClean);
    }

    [Fact]
    public void Verify_RepeatedLiquidationAndDerivativesLines_AreDuplicates()
    {
        using var vault = TestVault.Create();
        var liquidation = new LiquidationRecord
        {
            Exchange = "binance", InstId = "BTCUSDT", Ts = T0, Side = "sell", Px = "50000.1", Sz = "0.5", AvgPx = "50000", FilledSz = "0.5",
            Status = "FILLED", RecvTs = T0 + 2, Src = "ws",
        };
        var mark = new DerivativesRecord
        {
            Exchange = "binance", InstId = "BTCUSDT", Ts = T0, Channel = "markPrice", MarkPx = "50000.5", IndexPx = "50001",
            FundingRate = "0.0001", NextFundingTime = T0 + 3_600_000, RecvTs = T0 + 2, Src = "ws",
        };
        vault.AppendMicro(liquidation, liquidation with { RecvTs = T0 + 9 }, liquidation with { Sz = "0.6" }, mark, mark with { RecvTs = T0 + 9 },
            mark with { Ts = T0 + 1000 });

        Assert.Equal((3, 1), (Only(vault, MicroKind.Liquidations).Lines, Only(vault, MicroKind.Liquidations).Duplicates));
        Assert.Equal((3, 1), (Only(vault, MicroKind.Derivatives).Lines, Only(vault, MicroKind.Derivatives).Duplicates));
    }

    [Fact]
    public void Verify_BadAndTornLines_AreReportedWithFileAndOffset()
    {
        using var vault = TestVault.Create();
        var path = vault.AppendMicro(Quote(T0, 1))[0];
        var offset = new FileInfo(path).Length;
        File.AppendAllText(path, "{\"exchange\":\"okx\",\"garbage\n");
        vault.AppendMicro(Quote(T0 + 1, 2));
        File.AppendAllText(path, "{\"exchange\":\"okx\",\"inst"); // torn tail

        var quotes = Only(vault, MicroKind.Quotes);

        Assert.Equal((3, 1, 1), (quotes.Lines, quotes.Unparsable, quotes.Torn));
        Assert.Contains(quotes.Problems, p => p.StartsWith($"2025-12-14.jsonl@{offset}: not a quotes line", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_LineFiledUnderAnotherDay_IsWrongDate()
    {
        using var vault = TestVault.Create();
        var path = vault.Layout.MicroDayJsonl(MicroKind.Quotes, "okx", "BTC-USDT-SWAP", TestVault.Day1.AddDays(1));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, MicroLineWriter.ToLine(Quote(T0, 1)));

        Assert.Equal(1, Only(vault, MicroKind.Quotes).WrongDate);
    }

    [Fact]
    public void Verify_CompactedDays_GiveTheSameFindingsAsTheirJsonl()
    {
        using var vault = Day();
        vault.AppendMicro(Quote(T0, 10), Quote(T0 + 1, 10));
        var before = new MicroVerifier(vault.Layout).Verify(new VerifyOptions());
        var report = new Pipeline.Vault.Compaction.VaultCompactor(vault.Layout,
            new Pipeline.Vault.Compaction.CompactionOptions { Time = TestClock.At(TestVault.Day1.AddDays(2), TimeOnly.MinValue) }).Run();
        Assert.Equal(2, report.Compacted);

        var after = new MicroVerifier(vault.Layout).Verify(new VerifyOptions());

        Assert.Equal(before.Select(r => (r.Kind, r.Lines, r.Duplicates, r.Snapshots, r.Updates, r.ResyncCount, r.ContinuityBreaks)),
            after.Select(r => (r.Kind, r.Lines, r.Duplicates, r.Snapshots, r.Updates, r.ResyncCount, r.ContinuityBreaks)));
        Assert.Equal(1, after.Single(r => r.Kind == MicroKind.Quotes).Duplicates);
        Assert.Equal("gap: prevSeq 104 after seq 102", after.Single(r => r.Kind == MicroKind.Book).Resyncs[0].Reason);
        Assert.Equal(("2025-12-14.parquet", 3L), (after.Single(r => r.Kind == MicroKind.Book).Resyncs[0].File, after.Single(r => r.Kind == MicroKind.Book).Resyncs[0].Offset)); // a Parquet offset is the row number
    }
}
