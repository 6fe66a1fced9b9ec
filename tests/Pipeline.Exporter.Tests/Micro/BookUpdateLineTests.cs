using System.Buffers;
using System.Text;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Tests.Binance;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// The book-update hot path (<see cref="IMicroProtocol.TryReadBookUpdate"/> + <see cref="BookUpdateLine"/>) against
/// the record path (<see cref="IMicroProtocol.TryParse"/> + <see cref="MicroLineWriter"/>): the same line byte for
/// byte on the documentation's frames and on random ones, and never a line for a frame the record path refuses.
/// </summary>
public sealed class BookUpdateLineTests
{
    private const long Recv = 1_767_225_600_050;

    private static readonly OkxMicroProtocol Okx = new([BookFrameGen.OkxInst, "BTC-USDT"]);
    private static readonly BinanceMicroProtocol Binance = new();

    private static IMicroProtocol Venue(string venue) => venue == "okx" ? Okx : Binance;

    /// <summary>The record path's line for a frame holding one book update; null when it refuses the frame.</summary>
    private static string? RecordLine(IMicroProtocol protocol, byte[] frame)
    {
        var sink = new BinanceMicroCollector();
        if (!protocol.TryParse(frame, Recv, sink, out _))
        {
            return null;
        }

        Assert.True(sink.Count == 1 && sink.Books.Count == 1, "one book line per frame");
        return MicroLineWriter.ToLine(sink.Books[0]);
    }

    /// <summary>The hot path's line; null when it hands the frame to the record path.</summary>
    private static string? FastLine(IMicroProtocol protocol, byte[] frame, BookUpdate update)
    {
        if (!protocol.TryReadBookUpdate(frame, Recv, update))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        BookUpdateLine.Write(buffer, update, protocol.Exchange, Encoding.UTF8.GetString(update.InstId));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("okx", "Okx", "ws-books-update.json")]
    [InlineData("binance", "Binance", "ws-depthupdate-combined.json")]
    public void Write_DocumentationFrames_SameBytesAsTheRecordPath(string venue, string folder, string fixture)
    {
        var frame = Venues.WireFixtures.Bytes(folder, fixture);
        var expected = RecordLine(Venue(venue), frame);
        Assert.NotNull(expected);
        Assert.Equal(expected, FastLine(Venue(venue), frame, new BookUpdate()));
    }

    [Theory]
    [InlineData("okx")]
    [InlineData("binance")]
    public void Write_RandomFrames_SameBytesAsTheRecordPath(string venue)
    {
        var gen = new BookFrameGen(12);
        var update = new BookUpdate(); // reused, as the recorder reuses it
        for (var i = 0; i < 3000; i++)
        {
            var ts = 1_767_225_600_000 + i;
            var frame = Encoding.UTF8.GetBytes(venue == "okx" ? gen.Okx(1000 + i, 1001 + i, ts, maxLevels: 8) : gen.Binance(2000 + i, 2005 + i, 1999 + i, ts, maxLevels: 25));
            var expected = RecordLine(Venue(venue), frame);
            Assert.NotNull(expected);
            Assert.Equal(expected, FastLine(Venue(venue), frame, update));
        }
    }

    [Theory]
    [InlineData("okx")]
    [InlineData("binance")]
    public void TryReadBookUpdate_MutatedFrames_NeverALineTheRecordPathWouldNotWrite(string venue)
    {
        var gen = new BookFrameGen(34);
        var update = new BookUpdate();
        int fast = 0, refusedByBoth = 0;
        for (var i = 0; i < 6000; i++)
        {
            var text = venue == "okx" ? gen.Okx(1000 + i, 1001 + i, 1_767_225_600_000 + i) : gen.Binance(2000 + i, 2005 + i, 1999 + i, 1_767_225_600_000 + i, maxLevels: 6);
            var frame = gen.Mutate(text);
            var fastLine = FastLine(Venue(venue), frame, update);
            var sink = new BinanceMicroCollector();
            var recordOk = Venue(venue).TryParse(frame, Recv, sink, out _);
            if (fastLine is not null)
            {
                fast++;
                Assert.True(recordOk, "the hot path took a frame the record path refuses: " + Encoding.UTF8.GetString(frame));
                Assert.Equal(MicroLineWriter.ToLine(Assert.Single(sink.Books)), fastLine);
            }
            else if (!recordOk)
            {
                refusedByBoth++;
            }
        }

        // Both outcomes occur, so the property is exercised both ways.
        Assert.True(fast > 1000, $"hot path took {fast}");
        Assert.True(refusedByBoth > 1000, $"both refused {refusedByBoth}");
    }

    [Fact]
    public void TryReadBookUpdate_OkxSnapshotOrNonZeroChecksumOrSeveralRows_TakeTheRecordPath()
    {
        var gen = new BookFrameGen(5);
        var update = new BookUpdate();
        Assert.False(Okx.TryReadBookUpdate(Encoding.UTF8.GetBytes(BookFrameGen.OkxSnapshot(10, 1_767_225_600_000)), Recv, update));
        Assert.False(Okx.TryReadBookUpdate(Encoding.UTF8.GetBytes(gen.Okx(10, 11, 1_767_225_600_000, checksum: -855196043)), Recv, update));
        var two = gen.Okx(10, 11, 1_767_225_600_000, vary: false).Replace("}]}", "},{\"asks\":[],\"bids\":[],\"ts\":\"1767225600001\",\"checksum\":0,\"prevSeqId\":11,\"seqId\":12}]}", StringComparison.Ordinal);
        Assert.False(Okx.TryReadBookUpdate(Encoding.UTF8.GetBytes(two), Recv, update));
        Assert.True(Okx.TryParse(Encoding.UTF8.GetBytes(two), Recv, new BinanceMicroCollector(), out var problem), problem);
        var unknown = gen.Okx(10, 11, 1_767_225_600_000).Replace(BookFrameGen.OkxInst, "ETH-USDT-SWAP", StringComparison.Ordinal);
        Assert.False(Okx.TryReadBookUpdate(Encoding.UTF8.GetBytes(unknown), Recv, update));
    }

    [Fact]
    public void TryReadBookUpdate_BinanceRawEventOrIdsAsStrings_TakeTheRecordPath()
    {
        var frame = Venues.WireFixtures.Text("Binance", "ws-depthupdate-combined.json");
        var update = new BookUpdate();
        var raw = frame["{\"stream\":\"btcusdt@depth@100ms\",\"data\":".Length..^1];
        Assert.False(Binance.TryReadBookUpdate(Encoding.UTF8.GetBytes(raw), Recv, update));
        Assert.NotNull(RecordLine(Binance, Encoding.UTF8.GetBytes(raw)));
        var quoted = frame.Replace("\"u\":160", "\"u\":\"160\"", StringComparison.Ordinal);
        Assert.False(Binance.TryReadBookUpdate(Encoding.UTF8.GetBytes(quoted), Recv, update));
        Assert.NotNull(RecordLine(Binance, Encoding.UTF8.GetBytes(quoted)));
    }
}
