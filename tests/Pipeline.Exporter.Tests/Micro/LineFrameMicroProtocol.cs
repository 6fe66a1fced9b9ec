using System.Buffers;
using System.Text;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// A test venue: a frame is "{kind}|{record as a vault line}" ("ack" is a control frame); book continuity by
/// prevSeq as OKX, with the Binance habit of buffering updates until the first snapshot. Snapshot requests are
/// counted (the test answers them by feeding a snapshot).
/// </summary>
public sealed class LineFrameMicroProtocol : IMicroProtocol
{
    public string Exchange => "okx";

    public List<string> SnapshotRequests { get; } = [];

    /// <summary>Where <see cref="MicroFeed"/> connects (a test server).</summary>
    public Uri? Endpoint { get; set; }

    public Uri? Url(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => Endpoint;

    public IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) =>
        [.. instIds.Select(i => "sub " + i + " " + string.Join(',', kinds.Select(MicroKinds.Name)))];

    public bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem)
    {
        var text = Encoding.UTF8.GetString(frame);
        problem = null;
        if (text == "ack")
        {
            return true;
        }

        var bar = text.IndexOf('|', StringComparison.Ordinal);
        var kind = bar < 0 ? string.Empty : text[..bar];
        var line = bar < 0 ? text : text[(bar + 1)..];
        switch (kind)
        {
            case "quote" when MicroLineReader.Quote(line, out problem) is { } q:
                sink.Quote(q);
                return true;
            case "book" when MicroLineReader.Book(line, out problem) is { } b:
                sink.Book(b);
                return true;
            case "liq" when MicroLineReader.Liquidation(line, out problem) is { } l:
                sink.Liquidation(l);
                return true;
            case "deriv" when MicroLineReader.Derivatives(line, out problem) is { } d:
                sink.Derivatives(d);
                return true;
            default:
                problem ??= $"unknown frame kind '{kind}'";
                return false;
        }
    }

    public IBookSequencer NewBookSequencer(string instId) => new PrevSeqTestSequencer();

    public ValueTask<IReadOnlyList<string>?> RequestSnapshotAsync(string instId, IMicroSink sink, CancellationToken token)
    {
        lock (SnapshotRequests)
        {
            SnapshotRequests.Add(instId);
        }

        return ValueTask.FromResult<IReadOnlyList<string>?>(["resub " + instId]);
    }

    public static byte[] Frame(string kind, Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(Encoding.UTF8.GetBytes(kind + "|"));
        write(buffer);
        return buffer.WrittenSpan[..^1].ToArray(); // without the line's '\n'
    }
}

/// <summary>Updates before the first snapshot are buffered; afterwards an update continues the book when its prevSeq is the last seq.</summary>
public sealed class PrevSeqTestSequencer : IBookSequencer
{
    private long? _last;

    public BookDecision Decide(BookRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Type == BookRecordType.Snapshot)
        {
            _last = line.Seq;
            return BookDecision.Record;
        }

        if (_last is not { } last)
        {
            return new BookDecision(BookAction.Buffer);
        }

        if (line.Seq <= last)
        {
            return new BookDecision(BookAction.Skip, "older than the book");
        }

        if (line.PrevSeq != last)
        {
            return new BookDecision(BookAction.Resync, $"gap: prevSeq {line.PrevSeq} after seq {last}");
        }

        _last = line.Seq;
        return BookDecision.Record;
    }

    public void Reset() => _last = null;
}
