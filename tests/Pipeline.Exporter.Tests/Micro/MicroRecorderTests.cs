using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Micro;

public sealed class MicroRecorderTests : IDisposable
{
    private const string Inst = "BTC-USDT-SWAP";
    private static readonly DateOnly Day = new(2026, 3, 2);
    private static readonly long Midnight = TradeTime.DayStartMs(Day);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly LineFrameMicroProtocol _protocol = new();
    private readonly List<string> _requests = [];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Midnight + (60 * TradeTime.MsPerMinute)));

    public MicroRecorderTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private MicroRecorder Open(Quarantine? quarantine = null, MicroRecorderOptions? options = null)
    {
        var recorder = new MicroRecorder(_protocol, [Inst], MicroKinds.All.ToHashSet(), _vault, _time, options, quarantine)
        {
            SnapshotNeeded = _requests.Add,
        };
        recorder.Open();
        return recorder;
    }

    private static QuoteRecord Quote(long seq, long ts) => new()
    {
        Exchange = "okx", InstId = Inst, Ts = ts, Seq = seq, BidPx = "100.1", BidSz = "2", AskPx = "100.2", AskSz = "3", RecvTs = ts + 5, Src = "ws",
    };

    private static BookRecord Snapshot(long seq, long ts) => new()
    {
        Exchange = "okx", InstId = Inst, Type = BookRecordType.Snapshot, Ts = ts, Seq = seq,
        Bids = [new BookLevel("100.1", "2")], Asks = [new BookLevel("100.2", "3")], RecvTs = ts + 5, Src = "ws",
    };

    private static BookRecord Update(long prev, long seq, long ts) => new()
    {
        Exchange = "okx", InstId = Inst, Type = BookRecordType.Update, Ts = ts, Seq = seq, PrevSeq = prev,
        Bids = [new BookLevel("100.1", seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], RecvTs = ts + 5, Src = "ws",
    };

    private static LiquidationRecord Liquidation(long ts, string px) => new()
    {
        Exchange = "okx", InstId = Inst, Ts = ts, Side = "sell", Px = px, Sz = "1", RecvTs = ts + 5, Src = "ws",
    };

    private static DerivativesRecord Derivatives(long ts, string channel) => new()
    {
        Exchange = "okx", InstId = Inst, Ts = ts, Channel = channel, MarkPx = "100.15", RecvTs = ts + 5, Src = "ws",
    };

    private string PathOf(MicroKind kind, DateOnly day) => _vault.MicroDayJsonl(kind, "okx", Inst, day);

    private List<BookRecord> BookLines(DateOnly day) =>
        [.. File.ReadAllLines(PathOf(MicroKind.Book, day)).Select(l => MicroLineReader.Book(l, out var e) ?? throw new InvalidOperationException(e))];

    private List<long> QuoteSeqs(DateOnly day) =>
        [.. File.ReadAllLines(PathOf(MicroKind.Quotes, day)).Select(l => MicroLineReader.Quote(l, out var e)?.Seq ?? throw new InvalidOperationException(e))];

    private static string Describe(IEnumerable<BookRecord> lines) =>
        string.Join(' ', lines.Select(l => l.Type switch
        {
            BookRecordType.Snapshot => $"S{l.Seq}",
            BookRecordType.Update => $"U{l.Seq}",
            _ => "R",
        }));

    [Fact]
    public void Quote_DuplicatesAcrossRestart_EverySeqWrittenOnce()
    {
        using (var recorder = Open())
        {
            recorder.Quote(Quote(1, Midnight + 1));
            recorder.Quote(Quote(2, Midnight + 2));
            recorder.Quote(Quote(2, Midnight + 2)); // resent
            recorder.Quote(Quote(3, Midnight + 3));
        }

        using (var recorder = Open())
        {
            // After the restart the last seq comes from the file's tail: 2 and 3 are replays.
            recorder.Quote(Quote(2, Midnight + 2));
            recorder.Quote(Quote(3, Midnight + 3));
            recorder.Quote(Quote(4, Midnight + 4));
            Assert.Equal(2, recorder.Stream(Inst, MicroKind.Quotes)!.Duplicates);
        }

        Assert.Equal([1L, 2, 3, 4], QuoteSeqs(Day));
    }

    /// <summary>
    /// OKX restarts seqId on maintenance (its documented example: 10, 15, 15, 3, 5). Before, the recorder treated every
    /// update and quote after the reset as a repeat of an older seq and dropped them without a resync.
    /// </summary>
    [Fact]
    public void Book_And_Quote_OkxSeqIdResetOnMaintenance_KeptNotDroppedAsRepeats()
    {
        using (var recorder = new MicroRecorder(new Pipeline.Exporter.Okx.OkxMicroProtocol([Inst]), [Inst], MicroKinds.All.ToHashSet(), _vault, _time))
        {
            recorder.Open();
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Update(10, 15, Midnight + 2));
            recorder.Book(Update(15, 3, Midnight + 3)); // the reset: lower seqId, prevSeqId names the last one
            recorder.Book(Update(3, 5, Midnight + 4));
            recorder.Quote(Quote(15, Midnight + 2));
            recorder.Quote(Quote(3, Midnight + 3)); // newer time, lower seqId: after the reset
            recorder.Quote(Quote(3, Midnight + 3)); // repeat
            Assert.Equal(1, recorder.Stream(Inst, MicroKind.Quotes)!.Duplicates);
        }

        Assert.Equal("S10 U15 U3 U5", Describe(BookLines(Day)));
        Assert.Equal([15L, 3], QuoteSeqs(Day));
    }

    [Fact]
    public void Quote_EventTimesAroundMidnight_GoToTheirOwnDaysFiles()
    {
        using (var recorder = Open())
        {
            recorder.Quote(Quote(1, Midnight - 1));
            recorder.Quote(Quote(2, Midnight));
        }

        Assert.Equal([1L], QuoteSeqs(Day.AddDays(-1)));
        Assert.Equal([2L], QuoteSeqs(Day));
    }

    [Fact]
    public void Liquidation_And_Derivatives_DuplicatesAcrossRestart_DroppedByKey()
    {
        using (var recorder = Open())
        {
            recorder.Liquidation(Liquidation(Midnight + 10, "100"));
            recorder.Liquidation(Liquidation(Midnight + 10, "101")); // same time, another order: kept
            recorder.Derivatives(Derivatives(Midnight + 10, "mark-price"));
            recorder.Derivatives(Derivatives(Midnight + 10, "funding-rate"));
        }

        using (var recorder = Open())
        {
            recorder.Liquidation(Liquidation(Midnight + 10, "101"));
            recorder.Liquidation(Liquidation(Midnight + 11, "101"));
            recorder.Derivatives(Derivatives(Midnight + 10, "mark-price"));
            recorder.Derivatives(Derivatives(Midnight + 11, "mark-price"));
        }

        var liquidations = File.ReadAllLines(PathOf(MicroKind.Liquidations, Day)).Select(l => MicroLineReader.Liquidation(l, out _)!).ToList();
        Assert.Equal(["10/100", "10/101", "11/101"], liquidations.Select(l => $"{l.Ts - Midnight}/{l.Px}"));
        var derivatives = File.ReadAllLines(PathOf(MicroKind.Derivatives, Day)).Select(l => MicroLineReader.Derivatives(l, out _)!).ToList();
        Assert.Equal(["10/mark-price", "10/funding-rate", "11/mark-price"], derivatives.Select(d => $"{d.Ts - Midnight}/{d.Channel}"));
    }

    [Fact]
    public void Book_SequencerResync_WritesResyncWithReasonAndNoUpdateUntilSnapshot()
    {
        using (var recorder = Open())
        {
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Update(10, 11, Midnight + 2));
            recorder.Book(Update(12, 13, Midnight + 3)); // 12 is missing: a gap
            Assert.False(recorder.BookLive(Inst));
            Assert.Equal([Inst], _requests);
            recorder.Book(Update(13, 14, Midnight + 4)); // continues the gap's side: never written onto the unknown book
            recorder.Book(Update(14, 15, Midnight + 5));
            Assert.Equal(2, recorder.BookCounters(Inst).Buffered);
            recorder.Book(Snapshot(14, Midnight + 6)); // the new snapshot: 14 is older (skipped), 15 continues it
            recorder.Book(Update(15, 16, Midnight + 7));
            Assert.True(recorder.BookLive(Inst));
            Assert.Equal(1, recorder.BookCounters(Inst).Skipped);
        }

        var lines = BookLines(Day);
        Assert.Equal("S10 U11 R S14 U15 U16", Describe(lines));
        Assert.Equal("gap: prevSeq 12 after seq 11", lines[2].Reason);
        Assert.Equal(Midnight + 3, lines[2].Ts); // the time of the message that revealed the break
        Assert.Single(_requests);
    }

    [Fact]
    public void Book_UpdatesBeforeAnySnapshot_NeverWritten()
    {
        using (var recorder = Open(options: new MicroRecorderOptions { BookBufferLimit = 2 }))
        {
            recorder.Book(Update(1, 2, Midnight + 1));
            recorder.Book(Update(2, 3, Midnight + 2));
            recorder.Book(Update(3, 4, Midnight + 3)); // overflow: the held lines are dropped (the request already out stands)
            Assert.Equal(0, recorder.BookCounters(Inst).Buffered);
            recorder.Book(Snapshot(4, Midnight + 4));
            recorder.Book(Update(4, 5, Midnight + 5));
        }

        Assert.Equal("S4 U5", Describe(BookLines(Day))); // nothing was known before S4: no resync line needed
        Assert.Single(_requests);
    }

    [Fact]
    public void Book_Reconnect_WritesOneReconnectResyncThenOnlyAFreshSnapshotStartsTheBook()
    {
        using (var recorder = Open())
        {
            recorder.Connected(first: true); // nothing recorded before: no resync
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Update(10, 11, Midnight + 2));
            recorder.Disconnected("no pong within 10 s");
            recorder.Connected(first: false);
            recorder.Book(Update(20, 21, Midnight + 3)); // a diff before the new snapshot: held, not written
            recorder.Book(Snapshot(21, Midnight + 4));
            recorder.Book(Update(21, 22, Midnight + 5));
        }

        var lines = BookLines(Day);
        Assert.Equal("S10 U11 R S21 U22", Describe(lines));
        Assert.Equal("reconnect: no pong within 10 s", lines[2].Reason);
    }

    [Fact]
    public void Book_KilledMidLine_TornTailCutAndRestartResyncWritten()
    {
        using (var recorder = Open())
        {
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Update(10, 11, Midnight + 2));
        }

        var path = PathOf(MicroKind.Book, Day);
        var whole = new FileInfo(path).Length;
        File.AppendAllText(path, "{\"exchange\":\"okx\",\"instId\":\"BTC-US"); // what a kill -9 mid-write leaves

        using (var recorder = Open())
        {
            recorder.Connected(first: true);
            recorder.Book(Update(11, 12, Midnight + 3)); // before the snapshot: never written
            recorder.Book(Snapshot(12, Midnight + 4));
        }

        var lines = BookLines(Day); // every line parses: the torn bytes are gone
        Assert.Equal("S10 U11 R S12", Describe(lines));
        Assert.Equal("restart", lines[2].Reason);
        Assert.Equal(Midnight + (60 * TradeTime.MsPerMinute), lines[2].Ts); // the restart's own time
        Assert.DoesNotContain("BTC-US\"", File.ReadAllText(path)[(int)whole..], StringComparison.Ordinal);
    }

    [Fact]
    public void Book_SnapshotWithLowerSeqAfterAResync_StartsANewSequence()
    {
        using (var recorder = Open())
        {
            recorder.Book(Snapshot(100, Midnight + 1));
            recorder.Book(Update(100, 101, Midnight + 2));
            recorder.Book(Update(105, 106, Midnight + 3)); // gap
            recorder.Book(Snapshot(5, Midnight + 4)); // the exchange restarted its sequence
            recorder.Book(Update(5, 6, Midnight + 5)); // below 101, yet no duplicate: it continues the new book
        }

        Assert.Equal("S100 U101 R S5 U6", Describe(BookLines(Day)));
    }

    [Fact]
    public void Tick_SnapshotUnanswered_AskedAgainAfterTheTimeout_AndStateDescribesTheFile()
    {
        using var recorder = Open(options: new MicroRecorderOptions { SnapshotTimeout = TimeSpan.FromSeconds(30) });
        recorder.Book(Snapshot(10, Midnight + 1));
        recorder.Book(Update(11, 12, Midnight + 2)); // gap: the first request
        _time.Advance(TimeSpan.FromSeconds(29));
        recorder.Tick();
        Assert.Single(_requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        recorder.Tick();
        Assert.Equal([Inst, Inst], _requests);

        var state = new Pipeline.Vault.State.StateFile<MicroState>(_vault.MicroState(MicroKind.Book, "okx", Inst)).Read()!;
        Assert.Equal(10, state.LastSeq);
        Assert.Equal(2, state.Lines); // the snapshot and the resync line
        Assert.Equal(1, state.Resyncs);
        Assert.Equal(Midnight + 2, state.WatermarkTs);
    }

    [Fact]
    public void Book_SameSnapshotTwice_WrittenOnce()
    {
        using (var recorder = Open())
        {
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Snapshot(10, Midnight + 1));
            recorder.Book(Update(10, 11, Midnight + 2));
            recorder.Book(Update(10, 11, Midnight + 2)); // skipped by the sequencer (older than the book)
        }

        Assert.Equal("S10 U11", Describe(BookLines(Day)));
    }

    [Fact]
    public void Frame_MalformedAndImplausible_QuarantinedWithReason()
    {
        using (var quarantine = new Quarantine(_vault, "okx", _time))
        using (var recorder = Open(quarantine))
        {
            Assert.True(recorder.Frame("ack"u8, Midnight));
            Assert.False(recorder.Frame("quote|{\"exchange\":\"okx\"}"u8, Midnight));
            Assert.True(recorder.Frame(LineFrameMicroProtocol.Frame("quote", b => MicroLineWriter.Write(b, Quote(1, 1000) with { RecvTs = Midnight })), Midnight));
            Assert.True(recorder.Frame(LineFrameMicroProtocol.Frame("quote", b => MicroLineWriter.Write(b, Quote(2, Midnight + 1))), Midnight + 6));
            Assert.Equal(2, quarantine.Count);
        }

        Assert.Equal([2L], QuoteSeqs(Day)); // the implausible one made no day file of 1970
        Assert.Single(VaultLayout.ListDays(_vault.MicroInstrumentDir(MicroKind.Quotes, "okx", Inst)));
        var entries = File.ReadAllLines(_vault.QuarantineDay("okx", Day)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains("instId", entries[0].GetProperty("reason").GetString(), StringComparison.Ordinal); // the parser's reason: a missing key
        Assert.StartsWith("implausible event time", entries[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MalformedLineInTodaysFile_QuarantinedWithFileAndOffset()
    {
        var path = PathOf(MicroKind.Quotes, Day);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var good = Encoding.UTF8.GetString(LineFrameMicroProtocol.Frame("x", b => MicroLineWriter.Write(b, Quote(7, Midnight + 1))))[2..] + "\n";
        File.WriteAllText(path, good + "not json\n");
        using (var quarantine = new Quarantine(_vault, "okx", _time))
        using (var recorder = Open(quarantine))
        {
            recorder.Quote(Quote(7, Midnight + 1)); // the good line's seq was learnt despite the bad one
            recorder.Quote(Quote(8, Midnight + 2));
        }

        Assert.Equal(3, File.ReadAllLines(path).Length);
        var entry = JsonDocument.Parse(Assert.Single(File.ReadAllLines(_vault.QuarantineDay("okx", Day)))).RootElement;
        Assert.Equal(path, entry.GetProperty("file").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(good), entry.GetProperty("offset").GetInt64());
        Assert.Equal("not json", entry.GetProperty("raw").GetString());
        Assert.StartsWith("malformed quotes line in the vault", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SecondWriterOfTheSameKind_RefusedByTheLock()
    {
        using var first = Open();
        var second = new MicroRecorder(_protocol, [Inst], new HashSet<MicroKind> { MicroKind.Book }, _vault, _time);
        Assert.Throws<WriterLockedException>(second.Open);
        second.Dispose();
    }

    [Fact]
    public void Book_UpdateOnTheHotPath_RecorderAllocatesNothing()
    {
        const int Updates = 20_000;
        var updates = Enumerable.Range(0, Updates + 100).Select(i => Update(10 + i, 11 + i, Midnight + 1 + i)).ToArray(); // the parser's records, made before
        using var recorder = Open();
        recorder.Book(Snapshot(10, Midnight));
        for (var i = 0; i < 100; i++)
        {
            recorder.Book(updates[i]); // warm-up: the day file opened, buffers grown
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 100; i < updates.Length; i++)
        {
            recorder.Book(updates[i]);
        }

        var perUpdate = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Updates;
        Assert.True(perUpdate < 1, $"{perUpdate:F2} bytes allocated per book update");
    }
}
