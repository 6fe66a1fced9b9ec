using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// One instrument's OKX <c>books</c> continuity (PROTOCOL.md, "Microstructure"). A snapshot starts the book. An update
/// must name the last seqId as its prevSeqId; OKX's documented exceptions hold: a keep-alive with no levels and
/// seqId == prevSeqId (skipped, nothing changes) and a maintenance reset (seqId below prevSeqId, the chain continuing
/// from the new value). After a REST snapshot (no WebSocket snapshot), updates with seqId ≤ the snapshot's are skipped
/// and the first applied one must straddle it (prevSeqId ≤ snapshot &lt; seqId). A non-zero checksum is verified on
/// the book with the line applied (0 means none: always so from 23 June 2026). A break → Resync with the reason;
/// until the next snapshot, updates are buffered (they may precede a REST snapshot) and nothing is applied.
/// The book is kept only to verify checksums: an update taken by <see cref="TryContinue"/> (checksum 0, the hot path)
/// is not applied to it, so from then until the next snapshot it is stale, and an update that does carry a checksum
/// then is a break (there is nothing to verify it against) rather than a false mismatch.
/// </summary>
public sealed class OkxBookSequencer(string instId) : IBookSequencer
{
    private readonly OrderBook _book = new();
    private long _lastSeq;

    /// <summary>Set after a REST snapshot until the first update bridges it.</summary>
    private bool _bridging;

    /// <summary>An update since the snapshot took the hot path and is not in <see cref="_book"/>.</summary>
    private bool _stale;

    public string InstId { get; } = instId;

    /// <summary>The book as the recorded lines leave it (for tests and the checksum); updates taken by <see cref="TryContinue"/> are not in it.</summary>
    public OrderBook Book => _book;

    public BookDecision Decide(BookRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        switch (line.Type)
        {
            case BookRecordType.Resync:
                Reset();
                return BookDecision.Record;
            case BookRecordType.Snapshot:
                return Snapshot(line);
            default:
                return Update(line);
        }
    }

    /// <summary>An update without a checksum that names the last seqId: the chain moves on, the book is not touched.</summary>
    public bool TryContinue(BookUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_book.IsKnown || _bridging || update.PrevSeq != _lastSeq ||
            (update.Seq == update.PrevSeq && update.BidCount == 0 && update.AskCount == 0))
        {
            return false; // no book, a REST bridge, a gap or a keep-alive: Decide says which
        }

        _lastSeq = update.Seq;
        _stale = true;
        return true;
    }

    public void Reset()
    {
        _stale = false;
        _book.Apply(new BookRecord { Exchange = OkxVenue.Name, InstId = InstId, Type = BookRecordType.Resync, Ts = _book.Ts, RecvTs = 0, Src = "ws" });
        _bridging = false;
    }

    private BookDecision Snapshot(BookRecord line)
    {
        if (line.Seq is not { } seq)
        {
            return Break($"snapshot without seqId at ts {line.Ts}");
        }

        _book.Apply(line);
        _lastSeq = seq;
        _stale = false;
        _bridging = line.Src == "rest";
        return Verify(line) ?? BookDecision.Record;
    }

    private BookDecision Update(BookRecord line)
    {
        if (!_book.IsKnown)
        {
            return new BookDecision(BookAction.Buffer, "no snapshot yet");
        }

        if (line.Seq is not { } seq || line.PrevSeq is not { } prev)
        {
            return Break($"update without seqId/prevSeqId at ts {line.Ts}");
        }

        if (_bridging)
        {
            if (seq <= _lastSeq)
            {
                return new BookDecision(BookAction.Skip, $"seqId {seq} is not after the snapshot's {_lastSeq}");
            }

            if (prev > _lastSeq)
            {
                return Break($"stale snapshot: seqId {_lastSeq} is before the first update's prevSeqId {prev}");
            }

            _bridging = false;
        }
        else if (prev != _lastSeq)
        {
            return Break($"gap: prevSeqId {prev} after seqId {_lastSeq}");
        }
        else if (seq == prev && line.Bids.Count == 0 && line.Asks.Count == 0)
        {
            return new BookDecision(BookAction.Skip, $"keep-alive: seqId {seq} unchanged, no levels");
        }

        // seq > prev: the normal case; seq < prev: OKX's documented maintenance reset, the chain goes on from seq.
        _book.Apply(line);
        _lastSeq = seq;
        return Verify(line) ?? BookDecision.Record;
    }

    private BookDecision? Verify(BookRecord line)
    {
        if (line.Checksum is not { } sent || sent == 0)
        {
            return null;
        }

        if (_stale)
        {
            return Break($"checksum at seqId {line.Seq} after updates without one: the book to verify it against was not kept");
        }

        var computed = OkxBookChecksum.Of(_book);
        return computed == sent ? null : Break($"checksum mismatch at seqId {line.Seq}: computed {computed}, sent {sent}");
    }

    private BookDecision Break(string reason)
    {
        Reset();
        return new BookDecision(BookAction.Resync, reason);
    }
}
