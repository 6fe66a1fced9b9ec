using System.Diagnostics;
using System.Globalization;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Micro;

/// <summary>
/// Rebuilds one instrument's L2 book at any recorded instant from <c>book_perps</c>: the last snapshot at or before
/// the instant, then every update up to it (every line whose event time is at or before it, in file order, until the
/// first line after it), across days. Two passes keep it cheap on a busy day: an index pass reads only each line's type
/// and time (<see cref="BookContinuity.TryPeek"/>, no parse) to find the last snapshot or resync at or before the instant,
/// scanning the instant's day first and earlier days only when that day has none; then only the lines from that
/// snapshot on are parsed and applied. Every update is checked to continue the book (<see cref="BookContinuity"/>):
/// the book returned is proven, or the reconstruction fails naming the file and offset. An instant inside a
/// resync → snapshot window (or before the first snapshot) gives a book that is unknown there, and why; so does one
/// whose next line (on this day or a later one) is a resync: the break it records (a gap the next message revealed, a
/// restart or reconnect after a downtime) happened at an unknown moment after the last line before it, so the last
/// known book is not the book of any instant after that line.
/// </summary>
public sealed class BookReconstructor(VaultLayout vault)
{
    /// <summary>The checkpoint index to start from instead of the snapshot when it holds a later book (null: always replay from the snapshot).</summary>
    public BookCheckpoints? Checkpoints { get; init; }

    public BookAt At(string exchange, string instId, long atTs)
    {
        VaultNames.Exchange(exchange);
        VaultNames.InstId(instId);
        var clock = Stopwatch.StartNew();
        var atDay = TradeTime.Day(atTs);
        var days = MicroDayFiles.Days(vault, MicroKind.Book, exchange, instId);
        if (days.Count == 0)
        {
            throw new FileNotFoundException(
                $"no book recorded for {exchange} {instId}: {vault.MicroInstrumentDir(MicroKind.Book, exchange, instId)} holds no day file");
        }

        BookAt Unknown(string why, long indexed) => new()
        {
            Exchange = exchange, InstId = instId, AtTs = atTs, Unknown = why, LinesIndexed = indexed, Elapsed = clock.Elapsed,
        };

        var candidates = days.Where(d => d <= atDay).Reverse().ToList();
        long indexed = 0;
        long? nextSnapshotTs = null;
        Anchor? after = null; // the first line after the instant
        Anchor? anchor = null;
        var anchorIndex = -1;
        for (var i = 0; i < candidates.Count && anchor is null; i++)
        {
            var path = MicroDayFiles.DayPath(vault, MicroKind.Book, exchange, instId, candidates[i])!;
            var scan = Index(path, atTs, wantNextSnapshot: i == 0);
            indexed += scan.Lines;
            nextSnapshotTs ??= scan.NextSnapshotTs;
            after ??= scan.Next;
            anchor = scan.Anchor;
            anchorIndex = i;
        }

        // The next snapshot may be on a later day (the instant's day has none after the instant).
        long? SnapshotAfterDay(DateOnly day) => days.Where(d => d > day)
            .Select(d => Index(MicroDayFiles.DayPath(vault, MicroKind.Book, exchange, instId, d)!, long.MinValue, wantNextSnapshot: true).NextSnapshotTs)
            .FirstOrDefault(t => t is not null);
        if (nextSnapshotTs is null && (anchor is null || anchor.Type == BookRecordType.Resync))
        {
            nextSnapshotTs = SnapshotAfterDay(atDay);
        }

        var until = nextSnapshotTs is { } n ? $"the next snapshot is at {Iso(n)}" : "no later snapshot is recorded";
        if (anchor?.Type == BookRecordType.Snapshot)
        {
            // A resync next after the instant means a change was missed at an unknown moment after the last line before it
            // (a gap the next message revealed, or a downtime: restart, reconnect): the book is unknown up to the resync.
            after ??= days.Where(d => d > atDay).Select(d => Index(MicroDayFiles.DayPath(vault, MicroKind.Book, exchange, instId, d)!, long.MinValue, wantNextSnapshot: false).Next)
                .FirstOrDefault(n => n is not null);
            if (after?.Type == BookRecordType.Resync)
            {
                var fromResync = Index(after.Path, after.Ts, wantNextSnapshot: true); // a snapshot in the resync's millisecond ends the pass as its anchor
                var snapshot = fromResync.NextSnapshotTs ?? (fromResync.Anchor?.Type == BookRecordType.Snapshot ? fromResync.Anchor.Ts : SnapshotAfterDay(TradeTime.Day(after.Ts)));
                until = snapshot is { } s ? $"the next snapshot is at {Iso(s)}" : "no later snapshot is recorded";
                return Unknown($"the book is unknown before the resync at {Iso(after.Ts)} ({after.Reason ?? "no reason recorded"}, " +
                    $"{Path.GetFileName(after.Path)}@{after.Offset}): a change was missed at an unknown moment after the last line before it; {until}", indexed);
            }
        }

        if (anchor is null)
        {
            return Unknown($"no book snapshot is recorded at or before {Iso(atTs)} ({until})", indexed);
        }

        if (anchor.Type == BookRecordType.Resync)
        {
            return Unknown($"the book is unknown from {Iso(anchor.Ts)} (resync: {anchor.Reason ?? "no reason recorded"}, " +
                $"{Path.GetFileName(anchor.Path)}@{anchor.Offset}) until a new snapshot; {until}", indexed);
        }

        var book = new OrderBook();
        long updates = 0;
        var firstAfterSnapshot = false;
        var (startIndex, startOffset) = (anchorIndex, anchor.Offset);
        var checkpoint = Checkpoints?.Latest(exchange, instId, candidates[anchorIndex], anchor.Offset, atTs);
        if (checkpoint is not null)
        {
            (book, updates, firstAfterSnapshot) = (checkpoint.Book, checkpoint.UpdatesSinceSnapshot, checkpoint.FirstAfterSnapshot);
            (startIndex, startOffset) = (candidates.IndexOf(checkpoint.Day), checkpoint.Offset);
        }

        var updatesBefore = updates;
        for (var i = startIndex; i >= 0; i--)
        {
            var path = i == anchorIndex ? anchor.Path : MicroDayFiles.DayPath(vault, MicroKind.Book, exchange, instId, candidates[i])!;
            var from = i == startIndex ? startOffset : 0;
            var stopped = false;
            MicroDayFiles.ForEachLine(path, MicroKind.Book, (line, offset) =>
            {
                string? error = null;
                var record = BookLineParser.TryParse(line) ?? MicroLineReader.Book(System.Text.Encoding.UTF8.GetString(line), out error) ??
                    throw new InvalidDataException($"{path}@{offset}: not a book line ({error}): the book after it is not proven");
                if (record.Ts > atTs)
                {
                    stopped = true;
                    return false;
                }

                switch (record.Type)
                {
                    case BookRecordType.Snapshot:
                        book.Apply(record);
                        firstAfterSnapshot = true;
                        break;
                    case BookRecordType.Update:
                        if (BookContinuity.Break(book.Seq, firstAfterSnapshot, record) is { } broken)
                        {
                            throw new InvalidDataException($"{path}@{offset}: the update does not continue the book ({broken}) and no resync was recorded: the book after it is not proven (pipeline verify lists every such break)");
                        }

                        book.Apply(record);
                        firstAfterSnapshot = false;
                        updates++;
                        break;
                    default:
                        // The index pass found no resync after the anchor up to the instant; a resync read here is one it could not peek at.
                        throw new InvalidDataException($"{path}@{offset}: a resync line the index pass could not read: the file is not in the recorder's format");
                }

                return true;
            }, from);
            if (stopped)
            {
                break;
            }
        }

        return new BookAt
        {
            Exchange = exchange, InstId = instId, AtTs = atTs, Book = book, SnapshotFile = anchor.Path, SnapshotOffset = anchor.Offset,
            SnapshotTs = anchor.Ts, UpdatesApplied = updates, LinesIndexed = indexed, Elapsed = clock.Elapsed,
            CheckpointFile = checkpoint?.IndexFile, CheckpointOffset = checkpoint?.Offset ?? 0, UpdatesReplayed = updates - updatesBefore,
        };
    }

    /// <summary>An instant as ISO-8601 UTC with milliseconds.</summary>
    public static string Iso(long ts) =>
        ts is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? TradeTime.ToDateTimeOffset(ts).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : ts.ToString(CultureInfo.InvariantCulture) + " ms";

    /// <summary>
    /// The index pass over one day file: the last snapshot or resync among the lines up to the first one after
    /// <paramref name="atTs"/>, and that first line after it (<see cref="IndexScan.Next"/>); with <paramref name="wantNextSnapshot"/>, when that is not a snapshot, also the time of
    /// the first snapshot after the instant.
    /// </summary>
    private static IndexScan Index(string path, long atTs, bool wantNextSnapshot)
    {
        Anchor? anchor = null;
        long lines = 0;
        long? nextSnapshot = null;
        Anchor? next = null;
        var past = false;
        MicroDayFiles.ForEachLine(path, MicroKind.Book, (line, offset) =>
        {
            lines++;
            if (!BookContinuity.TryPeek(line, out var type, out var ts))
            {
                return true; // not in the writer's format: the replay parses it and says what is wrong, if it is after the anchor
            }

            if (!past && ts > atTs)
            {
                past = true;
                next = new Anchor(path, offset, type, ts, type == BookRecordType.Resync ? ResyncReason(line) : null);
            }

            if (past)
            {
                if (!wantNextSnapshot || anchor?.Type == BookRecordType.Snapshot)
                {
                    return false;
                }

                if (type == BookRecordType.Snapshot)
                {
                    nextSnapshot = ts;
                    return false;
                }

                return true;
            }

            if (type != BookRecordType.Update)
            {
                anchor = new Anchor(path, offset, type, ts, type == BookRecordType.Resync ? ResyncReason(line) : null);
            }

            return true;
        });
        return new IndexScan(anchor, lines, nextSnapshot, next);
    }

    private static string? ResyncReason(ReadOnlySpan<byte> line) => MicroLineReader.Book(System.Text.Encoding.UTF8.GetString(line), out _)?.Reason;

    private sealed record Anchor(string Path, long Offset, BookRecordType Type, long Ts, string? Reason);

    private sealed record IndexScan(Anchor? Anchor, long Lines, long? NextSnapshotTs, Anchor? Next);
}
