using System.IO.Hashing;

namespace Pipeline.Vault.Micro;

/// <summary>Builds or extends a day's checkpoint index (<see cref="BookCheckpointReplay"/>) and hashes the bytes it was built from.</summary>
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
        var replay = new BookCheckpointReplay(day, parquet, exchange, instId, start, entries, interval);
        MicroDayFiles.ForEachLine(path, MicroKind.Book, (line, offset) =>
        {
            replay.Line(line, offset);
            return true;
        }, start.Offset);
        return replay.End();
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

            hashes[i] = hash.GetCurrentHashAsUInt64();
            hash.Reset();
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
