using System.Globalization;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Micro;

/// <summary>
/// The book checkpoint index: a derived, rebuildable cache under
/// <c>state/book-checkpoints/{exchange}/{instId}/{yyyy-MM-dd}.ckpt</c> holding, every <see cref="Interval"/> lines of a
/// book day file, the full book with the offset after which it holds, so <see cref="BookReconstructor"/> replays at
/// most that many lines instead of everything since the last snapshot. Each index is keyed to the bytes it was built
/// from: XXH64 of every segment of a JSONL day between checkpoints (so a changed byte before a checkpoint makes it
/// stale), and of a whole Parquet day; the earlier days a book carried over midnight depends on are keyed the same way.
/// A stale index is rebuilt, a grown JSONL day is extended from where its index ended, and a corrupt index file is
/// ignored with a warning and rebuilt: a checkpoint is used only when it is proven to be the replay's own state.
/// </summary>
public sealed class BookCheckpoints(VaultLayout vault)
{
    /// <summary>Lines between checkpoints: the most a reconstruction replays after one (about 0.1 s at 6.5 µs a line).</summary>
    public int Interval { get; init; } = 16_384;

    /// <summary>Building more than this many bytes of a day is announced through <see cref="Notice"/> before it starts.</summary>
    public long AnnounceBytes { get; init; } = 16 << 20;

    /// <summary>Progress and warnings for the user (stderr in <c>pipeline book</c>); null: silent.</summary>
    public Action<string>? Notice { get; init; }

    /// <summary>The index file of one book day.</summary>
    public string IndexPath(string exchange, string instId, DateOnly day) =>
        Path.Combine(vault.StateDir, "book-checkpoints", VaultNames.Exchange(exchange), VaultNames.InstId(instId),
            day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".ckpt");

    /// <summary>
    /// The latest checkpoint a replay from the snapshot at (<paramref name="anchorDay"/>, <paramref name="anchorOffset"/>)
    /// to <paramref name="atTs"/> passes through: built from that very snapshot, with every line between it and the
    /// checkpoint at or before the instant; null when there is none (or the index cannot be built: the replay then runs
    /// from the snapshot and reports any problem itself). Builds or extends the indexes of the days from the snapshot's to
    /// the instant's as needed.
    /// </summary>
    public BookCheckpoint? Latest(string exchange, string instId, DateOnly anchorDay, long anchorOffset, long atTs)
    {
        var atDay = TradeTime.Day(atTs);
        var days = MicroDayFiles.Days(vault, MicroKind.Book, exchange, instId).Where(d => d >= anchorDay && d <= atDay).ToList();
        var indexes = new List<(BookCheckpointDay Index, string File)>();
        try
        {
            BookCheckpointDay? previous = null;
            foreach (var day in days)
            {
                var file = IndexPath(exchange, instId, day);
                previous = Ensure(exchange, instId, day, previous, file);
                if (previous is null)
                {
                    break;
                }

                indexes.Add((previous, file));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DuckDbException or InvalidDataException)
        {
            Notice?.Invoke($"warning: book checkpoints of {exchange} {instId} not used ({ex.Message}); replaying from the snapshot");
        }

        for (var i = indexes.Count - 1; i >= 0; i--)
        {
            var (index, file) = indexes[i];
            var entry = index.Entries.Append(index.End).LastOrDefault(e =>
                e.State == BookCheckpointState.Known && e.AnchorDay == anchorDay && e.AnchorOffset == anchorOffset && e.MaxTs <= atTs);
            if (entry is not null)
            {
                return new BookCheckpoint
                {
                    Day = index.Day, Offset = entry.Offset, Book = entry.ToBook(exchange, instId), FirstAfterSnapshot = entry.FirstAfterSnapshot,
                    UpdatesSinceSnapshot = entry.Updates, IndexFile = file,
                };
            }
        }

        return null;
    }

    /// <summary>
    /// Builds the indexes of one instrument's book days from the lines a reader already reads, day after day in order
    /// (<c>pipeline verify --book-index</c>), instead of reading them again.
    /// </summary>
    public BookCheckpointFeed Feed(string exchange, string instId) => new(this, exchange, instId);

    /// <summary>
    /// The up-to-date index of one day. <paramref name="previous"/> is the ensured index of the day file before it (null
    /// for the first day of the range: its index then starts with no book, and only its own snapshots are trusted).
    /// </summary>
    private BookCheckpointDay? Ensure(string exchange, string instId, DateOnly day, BookCheckpointDay? previous, string file)
    {
        var path = MicroDayFiles.DayPath(vault, MicroKind.Book, exchange, instId, day);
        if (path is null)
        {
            return null;
        }

        var plan = Plan(exchange, instId, day, previous, file, path);
        if (plan.Ready is { } ready)
        {
            return ready;
        }

        var bytes = new FileInfo(path).Length - plan.Start.Offset;
        if (bytes > AnnounceBytes)
        {
            Notice?.Invoke($"indexing the book of {exchange} {instId} on {day:yyyy-MM-dd} ({bytes / (1 << 20)} MB {(plan.Start.Offset > 0 ? "added" : "to read")}) " +
                "into checkpoints, once; later calls replay at most " + Interval.ToString(CultureInfo.InvariantCulture) + " lines");
        }

        var entries = new List<BookCheckpointEntry>(plan.Kept);
        var end = BookCheckpointBuilder.Replay(path, day, plan.Parquet, exchange, instId, plan.Start, entries, Interval);
        var built = Finish(plan, entries, end);
        if (plan.Start.Offset == 0 || built.Covered != plan.Start.Offset)
        {
            Save(file, built);
        }

        return built;
    }

    /// <summary>
    /// How to bring one day's index up to date: <see cref="IndexPlan.Ready"/> when the stored one is valid and covers
    /// the file; else the replay's start (the stored end of a grown JSONL day, the previous day's end book, or no book)
    /// and the entries kept.
    /// </summary>
    internal IndexPlan Plan(string exchange, string instId, DateOnly day, BookCheckpointDay? previous, string file, string path)
    {
        var parquet = path.EndsWith(".parquet", StringComparison.Ordinal);
        var deps = previous is null ? null : DepsAfter(previous);
        BookCheckpointDay? stored = null;
        try
        {
            stored = BookCheckpointFile.Read(file);
        }
        catch (InvalidDataException ex)
        {
            Notice?.Invoke($"warning: ignoring the corrupt book checkpoint index {file} ({ex.Message}); rebuilding it");
        }

        if (stored is not null && stored.Exchange == exchange && stored.InstId == instId && stored.Day == day && stored.Parquet == parquet &&
            (deps is null || stored.Deps.SequenceEqual(deps)) && Valid(stored, path) is { } validated)
        {
            return parquet || new FileInfo(path).Length <= validated.Covered
                ? new IndexPlan(exchange, instId, day, path, parquet, validated.Deps, validated.Entries, validated.End, validated)
                : new IndexPlan(exchange, instId, day, path, parquet, validated.Deps, validated.Entries, validated.End, null);
        }

        var start = previous is { End.State: BookCheckpointState.Known } ? previous.End with { Offset = 0, LinesSinceEntry = 0 }
            : new BookCheckpointEntry { Offset = 0, State = BookCheckpointState.Unknown };
        return new IndexPlan(exchange, instId, day, path, parquet, deps ?? [], [], start, null);
    }

    /// <summary>Writes the index; a vault whose state/ cannot be written (read-only) still gets it for this call.</summary>
    internal void Save(string file, BookCheckpointDay index)
    {
        try
        {
            BookCheckpointFile.Write(file, index);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Notice?.Invoke($"warning: could not save the book checkpoint index {file} ({ex.Message}); used for this call only");
        }
    }

    /// <summary>
    /// What a day's index depends on when its book carries over from <paramref name="previous"/>: the previous day file
    /// itself, and, when its end book comes from a snapshot on a still earlier day, the days back to that snapshot.
    /// </summary>
    private static List<BookCheckpointKey> DepsAfter(BookCheckpointDay previous)
    {
        var deps = previous.End.State == BookCheckpointState.Known
            ? previous.Deps.Where(d => d.Day >= previous.End.AnchorDay).ToList()
            : [];
        deps.Add(previous.Key);
        return deps;
    }

    /// <summary>The stored index when the file still holds the bytes it was built from (a JSONL day may have grown); else null.</summary>
    private static BookCheckpointDay? Valid(BookCheckpointDay stored, string path)
    {
        if (stored.Parquet)
        {
            return new FileInfo(path).Length == stored.FileLength && BookCheckpointBuilder.FileHash(path) == stored.FileHash ? stored : null;
        }

        var all = stored.Entries.Append(stored.End).ToList();
        if (all.Zip(all.Skip(1)).Any(p => p.First.Offset > p.Second.Offset))
        {
            return null;
        }

        var hashes = BookCheckpointBuilder.Segments(path, 0, [.. all.Select(e => e.Offset)]);
        return hashes is not null && hashes.SequenceEqual(all.Select(e => e.SegmentHash)) ? stored : null;
    }

    /// <summary>Keys a replayed day to the file's bytes: whole-file hash of a Parquet day, segment hashes of a JSONL one.</summary>
    internal static BookCheckpointDay Finish(IndexPlan plan, List<BookCheckpointEntry> entries, BookCheckpointEntry end)
    {
        var (exchange, instId, day, path) = (plan.Exchange, plan.InstId, plan.Day, plan.Path);
        if (plan.Parquet)
        {
            return new BookCheckpointDay
            {
                Exchange = exchange, InstId = instId, Day = day, Parquet = true, Covered = end.Offset, FileLength = new FileInfo(path).Length,
                FileHash = BookCheckpointBuilder.FileHash(path), Deps = plan.Deps, Entries = entries, End = end,
            };
        }

        // Segments before the first new entry are unchanged (validated); hash only from the last kept entry on.
        var kept = plan.Kept;
        var from = kept.Count > 0 ? kept[^1].Offset : 0;
        var fresh = entries.Skip(kept.Count).Append(end).ToList();
        var hashes = BookCheckpointBuilder.Segments(path, from, [.. fresh.Select(e => e.Offset)])
            ?? throw new IOException($"{path} became shorter while its book was indexed");
        return new BookCheckpointDay
        {
            Exchange = exchange, InstId = instId, Day = day, Parquet = false, Covered = end.Offset, Deps = plan.Deps,
            Entries = [.. kept, .. fresh.SkipLast(1).Select((e, i) => e with { SegmentHash = hashes[i] })],
            End = end with { SegmentHash = hashes[^1] },
        };
    }

    /// <summary>What <see cref="Plan"/> decided for one day.</summary>
    internal sealed record IndexPlan(string Exchange, string InstId, DateOnly Day, string Path, bool Parquet, IReadOnlyList<BookCheckpointKey> Deps,
        IReadOnlyList<BookCheckpointEntry> Kept, BookCheckpointEntry Start, BookCheckpointDay? Ready);
}
