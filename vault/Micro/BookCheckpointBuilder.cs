using System.Text;

namespace Pipeline.Vault.Micro;

/// <summary>
/// Builds or extends a day's checkpoint index by replaying its lines exactly as <see cref="BookReconstructor"/> does
/// (same parsers, same continuity rule): a snapshot makes the book known, an update that continues it is applied, a
/// resync makes it unknown, and a line that does not parse or an update that breaks the book makes it broken until the
/// next snapshot. Only a known book is ever written as a checkpoint, so no checkpoint carries a book across a resync.
/// </summary>
internal static class BookCheckpointBuilder
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Replays <paramref name="path"/> from <paramref name="start"/> (its offset, state and book), adding an entry every
    /// <paramref name="interval"/> lines to <paramref name="entries"/>; returns the state at the end of the lines read.
    /// </summary>
    public static BookCheckpointEntry Replay(string path, DateOnly day, bool parquet, string exchange, string instId, BookCheckpointEntry start,
        List<BookCheckpointEntry> entries, int interval)
    {
        var state = start.State;
        var book = state == BookCheckpointState.Known ? start.ToBook(exchange, instId) : new OrderBook();
        var anchorDay = start.AnchorDay;
        long anchorOffset = start.AnchorOffset, anchorTs = start.AnchorTs, maxTs = start.MaxTs, updates = start.Updates, lines = start.LinesSinceEntry;
        var first = start.FirstAfterSnapshot;
        var next = start.Offset;

        BookCheckpointEntry Capture(long offset) => new()
        {
            Offset = offset, State = state, AnchorDay = anchorDay, AnchorOffset = anchorOffset, AnchorTs = anchorTs, MaxTs = maxTs, Updates = updates,
            FirstAfterSnapshot = first, Seq = book.Seq, Ts = book.Ts, LinesSinceEntry = lines,
            Bids = state == BookCheckpointState.Known ? book.Bids() : [], Asks = state == BookCheckpointState.Known ? book.Asks() : [],
        };

        MicroDayFiles.ForEachLine(path, MicroKind.Book, (line, offset) =>
        {
            if (state == BookCheckpointState.Known && lines >= interval)
            {
                entries.Add(Capture(offset));
                lines = 0;
            }

            lines++;
            next = parquet ? offset + 1 : offset + line.Length + 1;
            var record = BookLineParser.TryParse(line) ?? MicroLineReader.Book(Encoding.UTF8.GetString(line), out _);
            if (record is null)
            {
                state = state == BookCheckpointState.Known ? BookCheckpointState.Broken : state;
                return true;
            }

            switch (record.Type)
            {
                case BookRecordType.Snapshot:
                    book.Apply(record);
                    state = BookCheckpointState.Known;
                    (anchorDay, anchorOffset, anchorTs, maxTs, updates, first) = (day, offset, record.Ts, record.Ts, 0, true);
                    break;
                case BookRecordType.Update when state == BookCheckpointState.Known:
                    if (BookContinuity.Break(book.Seq, first, record) is not null)
                    {
                        state = BookCheckpointState.Broken;
                        break;
                    }

                    book.Apply(record);
                    (maxTs, updates, first) = (Math.Max(maxTs, record.Ts), updates + 1, false);
                    break;
                case BookRecordType.Resync:
                    book.Apply(record);
                    state = BookCheckpointState.Unknown;
                    break;
            }

            return true;
        }, start.Offset);
        return Capture(next);
    }

    /// <summary>
    /// XXH64 of each segment of the JSONL file between <paramref name="from"/> and each of the ascending
    /// <paramref name="boundaries"/> (the first segment starts at <paramref name="from"/>); null when the file is shorter
    /// than the last boundary.
    /// </summary>
    public static ulong[]? Segments(string path, long from, IReadOnlyList<long> boundaries)
    {
        var hashes = new ulong[boundaries.Count];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        if (boundaries.Count > 0 && file.Length < boundaries[^1])
        {
            return null;
        }

        file.Position = from;
        var buffer = new byte[ChunkBytes];
        var position = from;
        var hash = new XxHash64();
        for (var i = 0; i < boundaries.Count; i++)
        {
            while (position < boundaries[i])
            {
                var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, boundaries[i] - position));
                if (read == 0)
                {
                    return null;
                }

                hash.Append(buffer.AsSpan(0, read));
                position += read;
            }

            hashes[i] = hash.Digest();
            hash = new XxHash64();
        }

        return hashes;
    }

    /// <summary>XXH64 of a whole file (a Parquet day, which is never appended to).</summary>
    public static ulong FileHash(string path)
    {
        var length = new FileInfo(path).Length;
        return Segments(path, 0, [length])![0];
    }
}
