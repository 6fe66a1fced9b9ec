using System.IO.Hashing;

namespace Pipeline.Vault.Micro;

/// <summary>What the builder knows about the book at a point of a day file.</summary>
internal enum BookCheckpointState : byte
{
    /// <summary>Before any snapshot, or after a resync: no book.</summary>
    Unknown = 0,

    /// <summary>A snapshot and every update since, each continuing the book.</summary>
    Known = 1,

    /// <summary>A line that did not parse, or an update that did not continue the book: nothing is proven until the next snapshot.</summary>
    Broken = 2,
}

/// <summary>
/// The identity of one day file as the checkpoints of a later day depend on it: its form, the length covered (JSONL
/// bytes up to the last complete line; Parquet: the file's length) and a hash of those bytes.
/// </summary>
internal readonly record struct BookCheckpointKey(DateOnly Day, bool Parquet, long Length, ulong Hash);

/// <summary>
/// One entry of a day's checkpoint index: the builder's state after every line before <see cref="Offset"/>.
/// <see cref="SegmentHash"/> is the XXH64 of the JSONL bytes from the previous entry's offset (or 0) to this one, so a
/// changed byte anywhere before the entry makes it stale.
/// </summary>
internal sealed record BookCheckpointEntry
{
    public required long Offset { get; init; }
    public ulong SegmentHash { get; init; }
    public required BookCheckpointState State { get; init; }

    /// <summary>The snapshot the book was built from: its day, offset (byte or row) and event time.</summary>
    public DateOnly AnchorDay { get; init; }

    public long AnchorOffset { get; init; }
    public long AnchorTs { get; init; }

    /// <summary>The highest event time from the snapshot up to here: the entry serves an instant at or after it only.</summary>
    public long MaxTs { get; init; }

    public long Updates { get; init; }
    public bool FirstAfterSnapshot { get; init; }
    public long? Seq { get; init; }
    public long Ts { get; init; }

    /// <summary>Lines read since the previous entry (the end entry resumes the count when the file grows).</summary>
    public long LinesSinceEntry { get; init; }

    public IReadOnlyList<BookLevel> Bids { get; init; } = [];
    public IReadOnlyList<BookLevel> Asks { get; init; } = [];

    /// <summary>The book this entry holds (only when <see cref="State"/> is known).</summary>
    public OrderBook ToBook(string exchange, string instId)
    {
        var book = new OrderBook();
        book.Apply(new BookRecord
        {
            Exchange = exchange, InstId = instId, Type = BookRecordType.Snapshot, Ts = Ts, Seq = Seq, Bids = Bids, Asks = Asks, RecvTs = Ts, Src = "ws",
        });
        return book;
    }
}

/// <summary>
/// The checkpoint index of one book day file: every <see cref="BookCheckpoints.Interval"/> lines the full book with the
/// offset after which it holds, the builder's state at the end of the lines covered (<see cref="End"/>, from which a
/// grown file is extended), and the earlier day files the book carried over midnight depends on (<see cref="Deps"/>).
/// </summary>
internal sealed record BookCheckpointDay
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required DateOnly Day { get; init; }
    public required bool Parquet { get; init; }

    /// <summary>JSONL: the byte offset after the last complete line read; Parquet: the number of rows.</summary>
    public required long Covered { get; init; }

    /// <summary>Parquet: the file's length and XXH64 (immutable once written); JSONL: 0.</summary>
    public long FileLength { get; init; }

    public ulong FileHash { get; init; }

    public required IReadOnlyList<BookCheckpointKey> Deps { get; init; }
    public required IReadOnlyList<BookCheckpointEntry> Entries { get; init; }
    public required BookCheckpointEntry End { get; init; }

    /// <summary>This file's identity for the days after it.</summary>
    public BookCheckpointKey Key
    {
        get
        {
            if (Parquet)
            {
                return new BookCheckpointKey(Day, true, FileLength, FileHash);
            }

            var digest = new XxHash64();
            Span<byte> word = stackalloc byte[8];
            foreach (var entry in Entries.Append(End))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(word, entry.SegmentHash);
                digest.Append(word);
            }

            return new BookCheckpointKey(Day, false, Covered, digest.GetCurrentHashAsUInt64());
        }
    }
}
