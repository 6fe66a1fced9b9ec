using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Verify;

/// <summary>
/// One instrument's findings for one microstructure kind (<see cref="MicroVerifier"/>). Every count is complete;
/// <see cref="Problems"/> lists the first of them with file and offset.
/// </summary>
public sealed record MicroVerifyResult
{
    public required MicroKind Kind { get; init; }
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public int Days { get; init; }
    public long Lines { get; init; }

    /// <summary>Torn lines (a tail without '\n').</summary>
    public long Torn { get; init; }

    /// <summary>Complete lines that are not records of the kind.</summary>
    public long Unparsable { get; init; }

    /// <summary>Files that could not be read at all.</summary>
    public long UnreadableFiles { get; init; }

    /// <summary>Lines whose event-time UTC date is not their file's date, or whose exchange/instId is not the folder's.</summary>
    public long WrongDate { get; init; }

    /// <summary>Repeated records: quotes by seq, liquidations by (ts, side, px, sz), derivatives by (ts, channel).</summary>
    public long Duplicates { get; init; }

    /// <summary>Quotes whose seq is not above the previous quote's (and not a duplicate, nor a seq reset: a lower seq at a newer event time).</summary>
    public long OutOfOrder { get; init; }

    /// <summary>Book: snapshot lines.</summary>
    public long Snapshots { get; init; }

    /// <summary>Book: update lines.</summary>
    public long Updates { get; init; }

    /// <summary>Book: resync lines, all of them (<see cref="Resyncs"/> lists the first 100).</summary>
    public long ResyncCount { get; init; }

    /// <summary>Book: resync lines (recorded breaks: not defects, the recorder did its job), with their reasons.</summary>
    public IReadOnlyList<BookResyncEntry> Resyncs { get; init; } = [];

    /// <summary>Book: updates that do not apply to a known book: a sequence break without a resync, an update after a
    /// resync before its snapshot, an update before the first snapshot.</summary>
    public long ContinuityBreaks { get; init; }

    /// <summary>Book: updates before the first snapshot of a range that starts after the instrument's first day (their book is on an earlier, unverified day).</summary>
    public long Unchecked { get; init; }

    /// <summary>Quotes: the times the exchange restarted its seq (a lower seq at a newer event time, OKX's maintenance reset), all of them; not a defect.</summary>
    public long SeqResetCount { get; init; }

    /// <summary>Quotes: the first 100 seq resets, where and from which seq.</summary>
    public IReadOnlyList<QuoteSeqReset> SeqResets { get; init; } = [];

    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool IsClean => Torn == 0 && Unparsable == 0 && UnreadableFiles == 0 && WrongDate == 0 && Duplicates == 0 && OutOfOrder == 0 &&
                           ContinuityBreaks == 0;
}

/// <summary>One recorded resync: when, where and why.</summary>
public sealed record BookResyncEntry(string File, long Offset, long Ts, string Reason);
