using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// <see cref="MicroRecorder"/>'s book-update hot path: a steady stream of updates allocates nothing, and a stream
/// with every kind of event (snapshots, repeats, gaps, keep-alives, implausible times) leaves the same file, byte for
/// byte, and the same counters as the record path alone.
/// </summary>
public sealed class MicroRecorderHotPathTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 1, 1);
    private static readonly long Midnight = TradeTime.DayStartMs(Day);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Midnight + 3_600_000));

    public void Dispose() => _dir.Dispose();

    private static IMicroProtocol Protocol(string venue) =>
        venue == "okx" ? new OkxMicroProtocol([BookFrameGen.OkxInst]) : new BinanceMicroProtocol();

    private static string Inst(string venue) => venue == "okx" ? BookFrameGen.OkxInst : BookFrameGen.BinanceInst;

    private MicroRecorder Open(IMicroProtocol protocol, string folder)
    {
        var recorder = new MicroRecorder(protocol, [venueInst(protocol)], MicroKinds.All.ToHashSet(), new VaultLayout(_dir.File(folder)), _time);
        recorder.Open();
        return recorder;

        static string venueInst(IMicroProtocol p) => p.Exchange == "okx" ? BookFrameGen.OkxInst : BookFrameGen.BinanceInst;
    }

    /// <summary>A Binance REST snapshot (the recorder gets it from the venue's REST client).</summary>
    private static BookRecord BinanceSnapshot(long lastUpdateId, long ts) => new()
    {
        Exchange = "binance", InstId = BookFrameGen.BinanceInst, Type = BookRecordType.Snapshot, Ts = ts, Seq = lastUpdateId,
        Bids = [new BookLevel("90000", "4")], Asks = [new BookLevel("90001", "5")], RecvTs = ts + 5, Src = "rest",
    };

    /// <summary>Starts the book: OKX's snapshot frame; Binance's first diff (buffered) and the REST snapshot it straddles.</summary>
    private static long Start(MicroRecorder recorder, string venue, BookFrameGen gen, long seq, long ts)
    {
        if (venue == "okx")
        {
            Assert.True(recorder.Frame(Encoding.UTF8.GetBytes(BookFrameGen.OkxSnapshot(seq, ts)), ts + 5));
            return seq;
        }

        Assert.True(recorder.Frame(Encoding.UTF8.GetBytes(gen.Binance(seq - 2, seq + 3, seq - 3, ts)), ts + 5));
        recorder.Book(BinanceSnapshot(seq, ts));
        return seq + 3;
    }

    private static byte[] Next(string venue, BookFrameGen gen, long prev, long seq, long ts) =>
        Encoding.UTF8.GetBytes(venue == "okx" ? gen.Okx(prev, seq, ts) : gen.Binance(prev + 1, seq, prev, ts));

    [Theory]
    [InlineData("okx")]
    [InlineData("binance")]
    public void Frame_BookUpdatesOnALiveBook_AllocateNothing(string venue)
    {
        var gen = new BookFrameGen(7);
        using var recorder = Open(Protocol(venue), "vault");
        var ts = Midnight + 1000;
        var last = Start(recorder, venue, gen, 5000, ts);
        var frames = new byte[4000][];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = Next(venue, gen, last + i, last + i + 1, ts + i);
        }

        for (var i = 0; i < 2000; i++)
        {
            Assert.True(recorder.Frame(frames[i], ts + i + 5));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2000; i < frames.Length; i++)
        {
            recorder.Frame(frames[i], ts + i + 5);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(last + frames.Length, recorder.Stream(Inst(venue), MicroKind.Book)!.LastSeq);
    }

    [Theory]
    [InlineData("okx")]
    [InlineData("binance")]
    public void Frame_EveryKindOfBookEvent_SameFileAndCountersAsTheRecordPathAlone(string venue)
    {
        var hot = Open(Protocol(venue), "hot");
        var plain = Open(new RecordPathOnly(Protocol(venue)), "plain");
        var gen = new BookFrameGen(21);
        var ts = Midnight + 1000;
        var seq = Start(hot, venue, new BookFrameGen(1), 5000, ts);
        Start(plain, venue, new BookFrameGen(1), 5000, ts);
        var sent = new List<byte[]>();
        var random = new Random(3);
        for (var i = 0; i < 3000; i++)
        {
            ts += random.Next(0, 40);
            byte[] frame;
            var roll = !hot.BookLive(Inst(venue)) && random.Next(4) == 0 ? 4 : random.Next(150);
            switch (roll)
            {
                case 0: // a repeat of an earlier frame
                    frame = sent.Count > 0 ? sent[random.Next(sent.Count)] : Next(venue, gen, seq, seq + 1, ts);
                    break;
                case 1: // a gap
                    frame = Next(venue, gen, seq + 3, seq + 5, ts);
                    seq += 5;
                    break;
                case 2: // an event time a day and more from the receive time
                    frame = Next(venue, gen, seq, seq + 1, ts - (2 * TradeTime.MsPerDay));
                    break;
                case 3 when venue == "okx": // a keep-alive
                    frame = Encoding.UTF8.GetBytes($"{{\"arg\":{{\"channel\":\"books\",\"instId\":\"{BookFrameGen.OkxInst}\"}},\"action\":\"update\",\"data\":[{{\"asks\":[],\"bids\":[],\"ts\":\"{ts}\",\"checksum\":0,\"prevSeqId\":{seq},\"seqId\":{seq}}}]}}");
                    break;
                case 4: // a new book (OKX resubscribe; Binance REST after a gap)
                    if (venue == "okx")
                    {
                        frame = Encoding.UTF8.GetBytes(BookFrameGen.OkxSnapshot(seq + 2, ts));
                        seq += 2;
                    }
                    else
                    {
                        hot.Book(BinanceSnapshot(seq, ts));
                        plain.Book(BinanceSnapshot(seq, ts));
                        frame = Next(venue, gen, seq - 1, seq + 1, ts);
                        seq++;
                    }

                    break;
                default:
                    var step = random.Next(1, 4);
                    frame = Next(venue, gen, seq, seq + step, ts);
                    seq += step;
                    break;
            }

            sent.Add(frame);
            Assert.Equal(plain.Frame(frame, ts + 5), hot.Frame(frame, ts + 5));
        }

        var hotBook = hot.Stream(Inst(venue), MicroKind.Book)!;
        var plainBook = plain.Stream(Inst(venue), MicroKind.Book)!;
        Assert.Equal((plainBook.Lines, plainBook.Duplicates, plainBook.Resyncs, plainBook.Quarantined), (hotBook.Lines, hotBook.Duplicates, hotBook.Resyncs, hotBook.Quarantined));
        Assert.Equal(plain.BookCounters(Inst(venue)), hot.BookCounters(Inst(venue)));
        Assert.True(hotBook.Resyncs > 5 && hotBook.Lines > 1500, $"resyncs {hotBook.Resyncs}, lines {hotBook.Lines}");
        hot.Dispose();
        plain.Dispose();
        var path = (string folder) => new VaultLayout(_dir.File(folder)).MicroDayJsonl(MicroKind.Book, venue, Inst(venue), Day);
        Assert.Equal(File.ReadAllText(path("plain")), File.ReadAllText(path("hot")));
    }

    /// <summary>
    /// OKX since 23 June 2026 sends checksum 0, and the hot path keeps no book. Were a checksum to come back mid-book,
    /// there is no book to verify it on: the recorder resyncs and says why, rather than report a false mismatch.
    /// </summary>
    [Fact]
    public void Frame_OkxChecksumAfterHotPathUpdates_ResyncSayingTheBookWasNotKept()
    {
        using var recorder = Open(Protocol("okx"), "vault");
        var gen = new BookFrameGen(8);
        var ts = Midnight + 1000;
        Start(recorder, "okx", gen, 100, ts);
        Assert.True(recorder.Frame(Encoding.UTF8.GetBytes(gen.Okx(100, 101, ts + 1)), ts + 6));
        Assert.True(recorder.Frame(Encoding.UTF8.GetBytes(gen.Okx(101, 102, ts + 2, checksum: 12345)), ts + 7));
        recorder.Dispose();
        var lines = File.ReadAllLines(new VaultLayout(_dir.File("vault")).MicroDayJsonl(MicroKind.Book, "okx", BookFrameGen.OkxInst, Day))
            .Select(l => MicroLineReader.Book(l, out _)!).ToList();
        Assert.Equal([BookRecordType.Snapshot, BookRecordType.Update, BookRecordType.Resync], lines.Select(l => l.Type));
        Assert.Equal("checksum at seqId 102 after updates without one: the book to verify it against was not kept", lines[2].Reason);
    }

    /// <summary>The venue without its hot path: every frame takes <see cref="IMicroProtocol.TryParse"/>.</summary>
    private sealed class RecordPathOnly(IMicroProtocol inner) : IMicroProtocol
    {
        public string Exchange => inner.Exchange;

        public IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => inner.SubscribeFrames(instIds, kinds);

        public bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem) => inner.TryParse(frame, recvTs, sink, out problem);

        public IBookSequencer NewBookSequencer(string instId) => inner.NewBookSequencer(instId);
    }
}
