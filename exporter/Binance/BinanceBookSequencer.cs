using System.Globalization;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance USD-M "How to manage a local order book correctly" for one symbol (PROTOCOL.md "Book continuity"):
/// <list type="number">
/// <item>until a REST snapshot is decided, diff events are <see cref="BookAction.Buffer"/>ed (the caller keeps them and
/// decides them again, in order, after the snapshot);</item>
/// <item>after the snapshot, events with <c>u</c> &lt; <c>lastUpdateId</c> are <see cref="BookAction.Skip"/>ped;</item>
/// <item>the first applied event must have <c>U</c> ≤ <c>lastUpdateId</c> ≤ <c>u</c> (USD-M; spot differs:
/// <c>U</c> ≤ <c>lastUpdateId</c>+1 ≤ <c>u</c>); one that starts after the snapshot means the snapshot is too old;</item>
/// <item>afterwards each event's <c>pu</c> must equal the previous event's <c>u</c>; an event whose <c>u</c> is not
/// beyond the last applied one is a repeat and is skipped; anything else is a gap.</item>
/// </list>
/// On a gap the decision is <see cref="BookAction.Resync"/> with the reason and the book becomes unknown: later events
/// are buffered again until the next snapshot. No event is ever recorded across a gap.
/// How a recorder drives it: a <see cref="BookAction.Buffer"/> means "hold this event and fetch a REST snapshot if none
/// is in flight"; the snapshot is decided (and recorded) first, then every held event again, in arrival order. After a
/// <see cref="BookAction.Resync"/> the recorder writes the resync line, decides the event that revealed the gap again
/// (it is then buffered: it may well continue the new snapshot) and fetches a new snapshot.
/// </summary>
public sealed class BinanceBookSequencer(string instId) : IBookSequencer
{
    private State _state = State.NoSnapshot;
    private long _snapshotId;
    private long _lastU;

    public string InstId { get; } = instId ?? throw new ArgumentNullException(nameof(instId));

    /// <summary>The <c>u</c> of the last recorded event (or the snapshot's lastUpdateId before the first); null while the book is unknown.</summary>
    public long? LastSeq => _state switch
    {
        State.NoSnapshot => null,
        State.AwaitingFirst => _snapshotId,
        _ => _lastU,
    };

    public BookDecision Decide(BookRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        switch (line.Type)
        {
            case BookRecordType.Snapshot:
                if (line.Seq is not { } lastUpdateId)
                {
                    throw new ArgumentException("a Binance snapshot carries its lastUpdateId as Seq", nameof(line));
                }

                _snapshotId = lastUpdateId;
                _state = State.AwaitingFirst;
                return BookDecision.Record;
            case BookRecordType.Resync:
                _state = State.NoSnapshot;
                return BookDecision.Record;
            case BookRecordType.Update:
                return DecideUpdate(line);
            default:
                throw new ArgumentOutOfRangeException(nameof(line), line.Type, "not a book line type");
        }
    }

    /// <summary>An event whose pu is the last applied u, once synced: the same as Decide's Record, without the record.</summary>
    public bool TryContinue(BookUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_state != State.Synced || update.PrevSeq != _lastU)
        {
            return false; // before the snapshot, the first event after it, a repeat or a gap: Decide says which
        }

        _lastU = update.Seq;
        return true;
    }

    public void Reset() => _state = State.NoSnapshot;

    private BookDecision DecideUpdate(BookRecord line)
    {
        if (line.Seq is not { } u || line.FirstSeq is not { } first || line.PrevSeq is not { } pu)
        {
            return Break("update lacks U, u or pu");
        }

        switch (_state)
        {
            case State.NoSnapshot:
                return new BookDecision(BookAction.Buffer, "waiting for the REST snapshot");
            case State.AwaitingFirst:
                if (u < _snapshotId)
                {
                    return new BookDecision(BookAction.Skip, Text($"u {u} < snapshot lastUpdateId {_snapshotId}"));
                }

                if (first > _snapshotId)
                {
                    return Break(Text($"gap: first event U {first} > snapshot lastUpdateId {_snapshotId} (snapshot too old)"));
                }

                _lastU = u;
                _state = State.Synced;
                return BookDecision.Record;
            default:
                if (pu == _lastU)
                {
                    _lastU = u;
                    return BookDecision.Record;
                }

                if (u <= _lastU)
                {
                    return new BookDecision(BookAction.Skip, Text($"repeat: u {u} <= last applied u {_lastU}"));
                }

                return Break(Text($"gap: pu {pu} != previous u {_lastU}"));
        }
    }

    private BookDecision Break(string reason)
    {
        _state = State.NoSnapshot;
        return new BookDecision(BookAction.Resync, reason);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private enum State
    {
        NoSnapshot,
        AwaitingFirst,
        Synced,
    }
}
