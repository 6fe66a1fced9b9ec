namespace Pipeline.Vault.Micro;

/// <summary>
/// One line of <c>book_perps</c>: a snapshot, an update (changed levels, size "0" deletes), or a resync marker.
/// Continuity: an update applies to the book whose last applied line had <see cref="Seq"/> equal to this line's
/// <see cref="PrevSeq"/> (OKX <c>prevSeqId</c>; Binance <c>pu</c>, or for the first update after a REST snapshot
/// <c>U</c> ≤ snapshot ≤ <c>u</c> on USD-M futures (spot would be snapshot+1), with <see cref="FirstSeq"/> = <c>U</c>). No update is ever written across a gap:
/// the recorder writes a <see cref="BookRecordType.Resync"/> line with the reason, then a new snapshot.
/// </summary>
public sealed record BookRecord
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required BookRecordType Type { get; init; }

    /// <summary>Exchange event time, Unix ms; for a resync, the time of the message that revealed the break (or the receive time).</summary>
    public required long Ts { get; init; }

    /// <summary>Sequence of this state (Binance <c>u</c> or the snapshot's <c>lastUpdateId</c>, OKX <c>seqId</c>); null on a resync.</summary>
    public long? Seq { get; init; }

    /// <summary>The sequence this update follows (Binance <c>pu</c>, OKX <c>prevSeqId</c>); null on a snapshot or resync.</summary>
    public long? PrevSeq { get; init; }

    /// <summary>Binance <c>U</c>: the first update id in this event; null elsewhere.</summary>
    public long? FirstSeq { get; init; }

    /// <summary>Bids, best first (a snapshot: every level; an update: the changed ones).</summary>
    public IReadOnlyList<BookLevel> Bids { get; init; } = [];

    /// <summary>Asks, best first.</summary>
    public IReadOnlyList<BookLevel> Asks { get; init; } = [];

    /// <summary>OKX CRC32 of the top 25 levels as sent (signed 32-bit), when non-zero; null otherwise.</summary>
    public long? Checksum { get; init; }

    /// <summary>Resync only: why the book became unknown ("gap: prevSeq 120 after seq 118", "checksum mismatch: ...", "reconnect").</summary>
    public string? Reason { get; init; }

    /// <summary>Local receive time, Unix ms.</summary>
    public required long RecvTs { get; init; }

    /// <summary>ws or rest.</summary>
    public required string Src { get; init; }
}
