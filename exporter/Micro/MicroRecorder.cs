using System.Buffers;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Serilog;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// The venue-neutral writer of quotes, book, liquidations and derivatives for one exchange's instruments: the
/// <see cref="IMicroSink"/> a venue's <see cref="IMicroProtocol"/> parses into. Per instrument and kind one
/// <see cref="MicroKindWriter"/> (writer lock, event-time day files, fsync cadence, state). Dedup: quotes and book
/// by sequence (nothing at or below the last written one, learnt from the file on start), liquidations by
/// (ts, side, px, sz) and derivatives by (ts, channel) within a recent window. Every book line passes the
/// instrument's <see cref="IBookSequencer"/>; an update is written only while the book is known (after a
/// snapshot, with no break since): a break writes one resync line with the reason and asks for a snapshot
/// (<see cref="SnapshotNeeded"/>). Thread-safe (one lock: a REST snapshot may arrive beside the receive loop);
/// the steady state of the book, an update that continues it, allocates nothing at all: the venue reads the frame into
/// a reused <see cref="BookUpdate"/>, the sequencer checks the numbers and the line is written from the frame's bytes
/// (<see cref="BookUpdateLine"/>, byte for byte the record path's line). Everything else (snapshots, resyncs, checksums,
/// buffering, repeats, implausible times, other kinds) takes the record path.
/// </summary>
public sealed class MicroRecorder : IMicroSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly IMicroProtocol _protocol;
    private readonly TimeProvider _time;
    private readonly MicroRecorderOptions _options;
    private readonly Quarantine? _quarantine;
    private readonly ILogger _log;
    private readonly long _skewMs;
    private readonly Dictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>> _instrumentsBySpan;
    private readonly BookUpdate _update = new();
    private readonly List<MicroKindWriter> _streams = [];
    private long _unknownInstrument;
    private long _lastState;

    public MicroRecorder(IMicroProtocol protocol, IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds, VaultLayout vault,
        TimeProvider time, MicroRecorderOptions? options = null, Quarantine? quarantine = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(instIds);
        ArgumentNullException.ThrowIfNull(kinds);
        _protocol = protocol;
        _time = time;
        _options = options ?? new MicroRecorderOptions();
        _quarantine = quarantine;
        _log = (log ?? Log.Logger).ForContext<MicroRecorder>();
        _skewMs = (long)_options.MaxEventTimeSkew.TotalMilliseconds;
        Kinds = kinds;
        foreach (var instId in instIds)
        {
            MicroKindWriter? Stream(MicroKind kind)
            {
                if (!kinds.Contains(kind))
                {
                    return null;
                }

                var stream = new MicroKindWriter(kind, protocol.Exchange, instId, vault, time, _options, _log);
                _streams.Add(stream);
                return stream;
            }

            var book = Stream(MicroKind.Book);
            _instruments[instId] = new Instrument(instId, Stream(MicroKind.Quotes), book,
                book is null ? null : protocol.NewBookSequencer(instId), Stream(MicroKind.Liquidations), Stream(MicroKind.Derivatives));
        }

        _instrumentsBySpan = _instruments.GetAlternateLookup<ReadOnlySpan<char>>();
        _lastState = time.GetTimestamp();
    }

    /// <summary>The venue's protocol this recorder parses with.</summary>
    public IMicroProtocol Protocol => _protocol;

    /// <summary>The kinds recorded.</summary>
    public IReadOnlySet<MicroKind> Kinds { get; }

    /// <summary>The book of an instrument needs a new snapshot; called under the recorder's lock: must not block.</summary>
    public Action<string>? SnapshotNeeded { get; set; }

    /// <summary>Records for an instrument this recorder does not record (ignored).</summary>
    public long UnknownInstrument => Interlocked.Read(ref _unknownInstrument);

    /// <summary>The streams (one per instrument and kind), for status and tests.</summary>
    public IReadOnlyList<MicroKindWriter> Streams => _streams;

    public MicroKindWriter? Stream(string instId, MicroKind kind) =>
        _streams.FirstOrDefault(s => s.InstId == instId && s.Kind == kind);

    /// <summary>True while the instrument's book is known (a snapshot written and no break since).</summary>
    public bool BookLive(string instId)
    {
        lock (_gate)
        {
            return _instruments.TryGetValue(instId, out var i) && i.BookLive;
        }
    }

    /// <summary>Takes every stream's lock and learns each file's tail (a malformed line there is quarantined with file and offset).</summary>
    public void Open()
    {
        lock (_gate)
        {
            foreach (var stream in _streams)
            {
                stream.Open(_options.TailBytes, (reason, bytes, file, offset) =>
                {
                    stream.Quarantined++;
                    _quarantine?.Add(reason, bytes, stream.InstId, file, offset);
                });
            }
        }
    }

    /// <summary>Reads one frame with the venue's parser; a malformed frame goes to the quarantine with the parser's reason.</summary>
    public bool Frame(ReadOnlySpan<byte> frame, long recvTs)
    {
        lock (_gate)
        {
            if (_protocol.TryReadBookUpdate(frame, recvTs, _update) && TryContinueBook(_update))
            {
                return true;
            }

            if (_protocol.TryParse(frame, recvTs, this, out var problem))
            {
                return true;
            }

            _quarantine?.Add(problem ?? "malformed frame", frame);
            return false;
        }
    }

    /// <summary>A connection is open and subscribed: every book starts unknown (a resync line when the file's book was known).</summary>
    public void Connected(bool first)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var instrument in _instruments.Values)
            {
                if (instrument.Book is not null)
                {
                    BreakBook(instrument, first ? "restart" : "reconnect", now, now, request: false);
                }
            }
        }
    }

    /// <summary>The connection is lost: from now on no book is known.</summary>
    public void Disconnected(string reason)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var instrument in _instruments.Values)
            {
                if (instrument.Book is not null)
                {
                    BreakBook(instrument, "reconnect: " + reason, now, now, request: false);
                }
            }
        }
    }

    /// <summary>Periodic work: fsync when due, state every second, snapshot requests that went unanswered.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_time.GetElapsedTime(_lastState) >= TimeSpan.FromSeconds(1))
            {
                _lastState = _time.GetTimestamp();
                foreach (var stream in _streams)
                {
                    stream.WriteState();
                }
            }
            else
            {
                foreach (var stream in _streams)
                {
                    stream.SyncIfDue();
                }
            }

            _quarantine?.SyncIfDue();

            foreach (var instrument in _instruments.Values)
            {
                if (instrument.AwaitingSince != 0 && _time.GetElapsedTime(instrument.AwaitingSince) >= _options.SnapshotTimeout)
                {
                    _log.Warning("{Exchange} {InstId}: no book snapshot {Seconds:F0} s after the request; asking again",
                        _protocol.Exchange, instrument.InstId, _options.SnapshotTimeout.TotalSeconds);
                    RequestSnapshot(instrument);
                }
            }
        }
    }

    public void Quote(QuoteRecord quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        lock (_gate)
        {
            if (Find(quote.InstId)?.Quotes is not { } stream || Implausible(stream, quote.Ts, quote.RecvTs, quote))
            {
                return;
            }

            // A replay repeats an old seq at an old time; OKX restarts seqId on maintenance, so a lower seq with a newer
            // event time is a new quote, not a duplicate (dropping it would lose every quote until the old seq came back).
            if (stream.LastSeq is { } last && quote.Seq <= last && quote.Ts <= stream.LastLineTs)
            {
                stream.Duplicates++;
                return;
            }

            var appender = stream.For(quote.Ts);
            MicroLineWriter.Write(appender, quote);
            appender.EndLine();
            stream.Written(quote.Ts, quote.Seq, resync: false);
        }
    }

    public void Liquidation(LiquidationRecord liquidation)
    {
        ArgumentNullException.ThrowIfNull(liquidation);
        lock (_gate)
        {
            if (Find(liquidation.InstId)?.Liquidations is not { } stream || Implausible(stream, liquidation.Ts, liquidation.RecvTs, liquidation))
            {
                return;
            }

            if (!stream.Liquidations.Add(liquidation.Ts, (liquidation.Ts, liquidation.Side, liquidation.Px, liquidation.Sz)))
            {
                stream.Duplicates++;
                return;
            }

            var appender = stream.For(liquidation.Ts);
            MicroLineWriter.Write(appender, liquidation);
            appender.EndLine();
            stream.Written(liquidation.Ts, null, resync: false);
        }
    }

    public void Derivatives(DerivativesRecord derivatives)
    {
        ArgumentNullException.ThrowIfNull(derivatives);
        lock (_gate)
        {
            if (Find(derivatives.InstId)?.Derivatives is not { } stream || Implausible(stream, derivatives.Ts, derivatives.RecvTs, derivatives))
            {
                return;
            }

            if (!stream.Derivatives.Add(derivatives.Ts, (derivatives.Ts, derivatives.Channel)))
            {
                stream.Duplicates++;
                return;
            }

            var appender = stream.For(derivatives.Ts);
            MicroLineWriter.Write(appender, derivatives);
            appender.EndLine();
            stream.Written(derivatives.Ts, null, resync: false);
        }
    }

    public void Book(BookRecord book)
    {
        ArgumentNullException.ThrowIfNull(book);
        lock (_gate)
        {
            if (Find(book.InstId) is not { Book: { } stream } instrument || Implausible(stream, book.Ts, book.RecvTs, book))
            {
                return;
            }

            if (book.Type == BookRecordType.Resync)
            {
                // The venue's parser itself saw the break (e.g. an exchange notice): same as a sequencer's resync.
                BreakBook(instrument, book.Reason ?? "resync reported by the venue", book.Ts, book.RecvTs, request: true);
                return;
            }

            Decide(instrument, stream, book);
        }
    }

    /// <summary>
    /// The hot path of <see cref="Book"/> for an update that continues a live book: the same checks in the same order
    /// (plausible time, sequencer, repeat) and the same line, without a record. False, with nothing changed, hands the
    /// frame to the record path.
    /// </summary>
    private bool TryContinueBook(BookUpdate update)
    {
        Span<char> name = stackalloc char[BookUpdate.MaxInstIdLength];
        var length = update.InstIdChars(name);
        if (length <= 0 || !_instrumentsBySpan.TryGetValue(name[..length], out var instrument) ||
            instrument.Book is not { } stream || !instrument.BookLive || !Plausible(update.Ts, update.RecvTs) ||
            !instrument.Sequencer!.TryContinue(update))
        {
            return false;
        }

        if (stream.LastSeq is { } last && update.Seq <= last && update.PrevSeq != last)
        {
            stream.Duplicates++;
            return true;
        }

        var appender = stream.For(update.Ts);
        BookUpdateLine.Write(appender, update, _protocol.Exchange, instrument.InstId);
        appender.EndLine();
        stream.Written(update.Ts, update.Seq, resync: false);
        return true;
    }

    private void Decide(Instrument instrument, MicroKindWriter stream, BookRecord book)
    {
        var decision = instrument.Sequencer!.Decide(book);
        switch (decision.Action)
        {
            case BookAction.Record when book.Type == BookRecordType.Snapshot:
                if (instrument.BookLive && stream.LastSeq is { } known && book.Seq <= known)
                {
                    stream.Duplicates++; // the same snapshot again (a resubscribe that was not needed)
                    return;
                }

                WriteBook(stream, book);
                stream.LastSeq = book.Seq; // a new book starts its own sequence (an exchange may restart its ids)
                instrument.BookLive = true;
                instrument.AwaitingSince = 0;
                Replay(instrument, stream);
                return;
            case BookAction.Record:
                if (!instrument.BookLive)
                {
                    instrument.DroppedUnknown++; // never an update onto an unknown book
                    return;
                }

                // An update that names the last written line as its predecessor continues the file even when its seq is
                // lower (OKX's maintenance reset: seqId 3 after 15, prevSeqId 15); only an old seq that does not is a repeat.
                if (stream.LastSeq is { } last && book.Seq <= last && book.PrevSeq != last)
                {
                    stream.Duplicates++;
                    return;
                }

                WriteBook(stream, book);
                return;
            case BookAction.Skip:
                instrument.Skipped++;
                return;
            case BookAction.Buffer:
                if (instrument.Buffered.Count >= _options.BookBufferLimit)
                {
                    BreakBook(instrument, $"buffer overflow: {instrument.Buffered.Count} book lines waited for a snapshot", book.Ts, book.RecvTs, request: true);
                    return;
                }

                instrument.Buffered.Add(book);
                if (instrument.AwaitingSince == 0)
                {
                    RequestSnapshot(instrument);
                }

                return;
            default:
                BreakBook(instrument, decision.Reason ?? "sequencer asked for a resync", book.Ts, book.RecvTs, request: true);
                return;
        }
    }

    /// <summary>After a snapshot: the lines held while it was fetched pass the sequencer again, in arrival order.</summary>
    private void Replay(Instrument instrument, MicroKindWriter stream)
    {
        if (instrument.Buffered.Count == 0)
        {
            return;
        }

        var held = instrument.Buffered.ToArray();
        instrument.Buffered.Clear();
        foreach (var line in held)
        {
            Decide(instrument, stream, line);
        }
    }

    private static void WriteBook(MicroKindWriter stream, BookRecord book)
    {
        var appender = stream.For(book.Ts);
        MicroLineWriter.Write(appender, book);
        appender.EndLine();
        stream.Written(book.Ts, book.Seq, resync: false);
    }

    /// <summary>
    /// The book is unknown from here: one resync line with the reason (none when the last line already is one, or
    /// when nothing was ever written), the sequencer and buffer forgotten, and (when asked) a snapshot requested.
    /// </summary>
    private void BreakBook(Instrument instrument, string reason, long ts, long recvTs, bool request)
    {
        var stream = instrument.Book!;
        instrument.Sequencer!.Reset();
        instrument.Buffered.Clear();
        instrument.BookLive = false;
        if (stream.HasLines && !stream.LastWasResync)
        {
            // Never before the line it follows: a reader at any instant sees the break after the last good line.
            var at = Math.Max(ts, stream.LastLineTs);
            var line = new BookRecord
            {
                Exchange = _protocol.Exchange, InstId = instrument.InstId, Type = BookRecordType.Resync, Ts = at,
                Reason = reason, RecvTs = recvTs, Src = "ws",
            };
            var appender = stream.For(at);
            MicroLineWriter.Write(appender, line);
            appender.EndLine();
            stream.Written(at, null, resync: true);
            _log.Warning("{Exchange} {InstId}: book resync ({Reason})", _protocol.Exchange, instrument.InstId, reason);
        }

        if (!request)
        {
            instrument.AwaitingSince = 0; // a new connection's subscription (or its first diff) brings the snapshot
        }
        else if (instrument.AwaitingSince == 0)
        {
            RequestSnapshot(instrument);
        }
    }

    private void RequestSnapshot(Instrument instrument)
    {
        instrument.AwaitingSince = Math.Max(1, _time.GetTimestamp());
        instrument.SnapshotRequests++;
        SnapshotNeeded?.Invoke(instrument.InstId);
    }

    private Instrument? Find(string instId)
    {
        if (_instruments.TryGetValue(instId, out var instrument))
        {
            return instrument;
        }

        Interlocked.Increment(ref _unknownInstrument);
        return null;
    }

    /// <summary>An event time before 2010 or further than the bound from the receive time: quarantined, never a day file.</summary>
    private bool Implausible(MicroKindWriter stream, long ts, long recvTs, object record)
    {
        if (Plausible(ts, recvTs))
        {
            return false;
        }

        stream.Quarantined++;
        if (_quarantine is not null)
        {
            var line = new ArrayBufferWriter<byte>();
            switch (record)
            {
                case QuoteRecord q: MicroLineWriter.Write(line, q); break;
                case BookRecord b: MicroLineWriter.Write(line, b); break;
                case LiquidationRecord l: MicroLineWriter.Write(line, l); break;
                case DerivativesRecord d: MicroLineWriter.Write(line, d); break;
                default: break;
            }

            _quarantine.Add($"implausible event time {EventTimeCheck.Describe(ts)} (received {EventTimeCheck.Describe(recvTs)})",
                line.WrittenSpan, stream.InstId);
        }

        return true;
    }

    private bool Plausible(long ts, long recvTs) => ts >= EventTimeCheck.Floor && ts <= recvTs + _skewMs && ts >= recvTs - _skewMs;

    /// <summary>Book counters of one instrument (tests and logs).</summary>
    public (long Skipped, long DroppedUnknown, long SnapshotRequests, int Buffered) BookCounters(string instId)
    {
        lock (_gate)
        {
            var i = _instruments[instId];
            return (i.Skipped, i.DroppedUnknown, i.SnapshotRequests, i.Buffered.Count);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var stream in _streams)
            {
                try
                {
                    stream.Dispose();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _log.Error("{Stream}: final sync and state failed: {Error}", stream.ToString(), ex.Message);
                }
            }
        }
    }

    private sealed class Instrument(string instId, MicroKindWriter? quotes, MicroKindWriter? book, IBookSequencer? sequencer,
        MicroKindWriter? liquidations, MicroKindWriter? derivatives)
    {
        public string InstId { get; } = instId;
        public MicroKindWriter? Quotes { get; } = quotes;
        public MicroKindWriter? Book { get; } = book;
        public IBookSequencer? Sequencer { get; } = sequencer;
        public MicroKindWriter? Liquidations { get; } = liquidations;
        public MicroKindWriter? Derivatives { get; } = derivatives;
        public List<BookRecord> Buffered { get; } = [];
        public bool BookLive { get; set; }
        public long AwaitingSince { get; set; }
        public long Skipped { get; set; }
        public long DroppedUnknown { get; set; }
        public long SnapshotRequests { get; set; }
    }
}
