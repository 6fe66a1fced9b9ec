using System.Text;

namespace Pipeline.Vault.Micro;

/// <summary>
/// The checkpoint builder's replay of one day file's lines, fed in file order, exactly as <see cref="BookReconstructor"/>
/// replays them (same parsers, same continuity rule): a snapshot makes the book known, an update that continues it is
/// applied, a resync makes it unknown, and a line that does not parse or an update that breaks the book makes it broken
/// until the next snapshot. Only a known book is ever written as a checkpoint, so no checkpoint carries a book across a
/// resync. Lines before the start offset are ignored (a grown file is extended from where its index ended).
/// </summary>
internal sealed class BookCheckpointReplay
{
    private readonly DateOnly _day;
    private readonly bool _parquet;
    private readonly List<BookCheckpointEntry> _entries;
    private readonly int _interval;
    private readonly long _from;
    private readonly OrderBook _book;
    private BookCheckpointState _state;
    private DateOnly _anchorDay;
    private long _anchorOffset, _anchorTs, _maxTs, _updates, _lines, _next;
    private bool _first;

    public BookCheckpointReplay(DateOnly day, bool parquet, string exchange, string instId, BookCheckpointEntry start,
        List<BookCheckpointEntry> entries, int interval)
    {
        (_day, _parquet, _entries, _interval) = (day, parquet, entries, interval);
        _state = start.State;
        _book = _state == BookCheckpointState.Known ? start.ToBook(exchange, instId) : new OrderBook();
        (_anchorDay, _anchorOffset, _anchorTs, _maxTs, _updates, _lines, _first) =
            (start.AnchorDay, start.AnchorOffset, start.AnchorTs, start.MaxTs, start.Updates, start.LinesSinceEntry, start.FirstAfterSnapshot);
        _from = _next = start.Offset;
    }

    /// <summary>One line at <paramref name="offset"/> (JSONL byte offset, Parquet row).</summary>
    public void Line(ReadOnlySpan<byte> line, long offset)
    {
        if (offset < _from)
        {
            return;
        }

        if (_state == BookCheckpointState.Known && _lines >= _interval)
        {
            _entries.Add(Capture(offset));
            _lines = 0;
        }

        _lines++;
        _next = _parquet ? offset + 1 : offset + line.Length + 1;
        var record = BookLineParser.TryParse(line) ?? MicroLineReader.Book(Encoding.UTF8.GetString(line), out _);
        if (record is null)
        {
            _state = _state == BookCheckpointState.Known ? BookCheckpointState.Broken : _state;
            return;
        }

        switch (record.Type)
        {
            case BookRecordType.Snapshot:
                _book.Apply(record);
                _state = BookCheckpointState.Known;
                (_anchorDay, _anchorOffset, _anchorTs, _maxTs, _updates, _first) = (_day, offset, record.Ts, record.Ts, 0, true);
                break;
            case BookRecordType.Update when _state == BookCheckpointState.Known:
                if (BookContinuity.Break(_book.Seq, _first, record) is not null)
                {
                    _state = BookCheckpointState.Broken;
                    break;
                }

                _book.Apply(record);
                (_maxTs, _updates, _first) = (Math.Max(_maxTs, record.Ts), _updates + 1, false);
                break;
            case BookRecordType.Resync:
                _book.Apply(record);
                _state = BookCheckpointState.Unknown;
                break;
        }
    }

    /// <summary>The state after the last line fed (the index's end entry).</summary>
    public BookCheckpointEntry End() => Capture(_next);

    private BookCheckpointEntry Capture(long offset) => new()
    {
        Offset = offset, State = _state, AnchorDay = _anchorDay, AnchorOffset = _anchorOffset, AnchorTs = _anchorTs, MaxTs = _maxTs, Updates = _updates,
        FirstAfterSnapshot = _first, Seq = _book.Seq, Ts = _book.Ts, LinesSinceEntry = _lines,
        Bids = _state == BookCheckpointState.Known ? _book.Bids() : [], Asks = _state == BookCheckpointState.Known ? _book.Asks() : [],
    };
}
