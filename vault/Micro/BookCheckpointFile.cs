using System.IO.Hashing;
using System.Text;

namespace Pipeline.Vault.Micro;

/// <summary>
/// The on-disk form of a <see cref="BookCheckpointDay"/>: binary (a busy day's hundred books of hundreds of levels stay
/// a few MB and load in milliseconds), a magic and version first and the XXH64 of everything before it last, so a torn,
/// truncated or altered file is detected and never trusted. Written to a temporary file and renamed over the old one.
/// </summary>
internal static class BookCheckpointFile
{
    private static readonly byte[] Magic = "PLBOOKCK"u8.ToArray();
    private const int Version = 1;
    private const int MaxCount = 50_000_000;

    public static void Write(string path, BookCheckpointDay index)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(index.Exchange);
            w.Write(index.InstId);
            w.Write(index.Day.DayNumber);
            w.Write(index.Parquet);
            w.Write(index.Covered);
            w.Write(index.FileLength);
            w.Write(index.FileHash);
            w.Write(index.Deps.Count);
            foreach (var dep in index.Deps)
            {
                w.Write(dep.Day.DayNumber);
                w.Write(dep.Parquet);
                w.Write(dep.Length);
                w.Write(dep.Hash);
            }

            w.Write(index.Entries.Count);
            foreach (var entry in index.Entries)
            {
                WriteEntry(w, entry);
            }

            WriteEntry(w, index.End);
            w.Write(XxHash64.HashToUInt64(body.GetBuffer().AsSpan(0, (int)body.Length)));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(body.GetBuffer().AsSpan(0, (int)body.Length));
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The index in <paramref name="path"/>; null when there is none; throws <see cref="InvalidDataException"/> when it is not a valid one.</summary>
    public static BookCheckpointDay? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        if (bytes.Length < Magic.Length + 12 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a book checkpoint index (no magic)");
        }

        var stored = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8));
        if (XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)) != stored)
        {
            throw new InvalidDataException("its hash does not match its content (torn or altered)");
        }

        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 8), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            var version = r.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"version {version}, not {Version}");
            }

            var exchange = r.ReadString();
            var instId = r.ReadString();
            var day = DateOnly.FromDayNumber(r.ReadInt32());
            var parquet = r.ReadBoolean();
            var covered = r.ReadInt64();
            var fileLength = r.ReadInt64();
            var fileHash = r.ReadUInt64();
            var deps = new List<BookCheckpointKey>();
            for (var i = Count(r); i > 0; i--)
            {
                deps.Add(new BookCheckpointKey(DateOnly.FromDayNumber(r.ReadInt32()), r.ReadBoolean(), r.ReadInt64(), r.ReadUInt64()));
            }

            var entries = new List<BookCheckpointEntry>();
            for (var i = Count(r); i > 0; i--)
            {
                entries.Add(ReadEntry(r));
            }

            var end = ReadEntry(r);
            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new InvalidDataException("bytes after the end entry");
            }

            return new BookCheckpointDay
            {
                Exchange = exchange, InstId = instId, Day = day, Parquet = parquet, Covered = covered, FileLength = fileLength, FileHash = fileHash,
                Deps = deps, Entries = entries, End = end,
            };
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentOutOfRangeException or FormatException or IOException)
        {
            throw new InvalidDataException($"unreadable ({ex.Message})", ex);
        }
    }

    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt32();
        return count is >= 0 and <= MaxCount ? count : throw new InvalidDataException($"a count of {count}");
    }

    private static void WriteEntry(BinaryWriter w, BookCheckpointEntry e)
    {
        w.Write(e.Offset);
        w.Write(e.SegmentHash);
        w.Write((byte)e.State);
        w.Write(e.AnchorDay.DayNumber);
        w.Write(e.AnchorOffset);
        w.Write(e.AnchorTs);
        w.Write(e.MaxTs);
        w.Write(e.Updates);
        w.Write(e.FirstAfterSnapshot);
        w.Write(e.Seq.HasValue);
        w.Write(e.Seq ?? 0);
        w.Write(e.Ts);
        w.Write(e.LinesSinceEntry);
        WriteLevels(w, e.Bids);
        WriteLevels(w, e.Asks);
    }

    private static BookCheckpointEntry ReadEntry(BinaryReader r)
    {
        var offset = r.ReadInt64();
        var segment = r.ReadUInt64();
        var state = r.ReadByte();
        if (state > (byte)BookCheckpointState.Broken)
        {
            throw new InvalidDataException($"state {state}");
        }

        var anchorDay = DateOnly.FromDayNumber(r.ReadInt32());
        var anchorOffset = r.ReadInt64();
        var anchorTs = r.ReadInt64();
        var maxTs = r.ReadInt64();
        var updates = r.ReadInt64();
        var first = r.ReadBoolean();
        var hasSeq = r.ReadBoolean();
        var seq = r.ReadInt64();
        var ts = r.ReadInt64();
        var lines = r.ReadInt64();
        return new BookCheckpointEntry
        {
            Offset = offset, SegmentHash = segment, State = (BookCheckpointState)state, AnchorDay = anchorDay, AnchorOffset = anchorOffset,
            AnchorTs = anchorTs, MaxTs = maxTs, Updates = updates, FirstAfterSnapshot = first, Seq = hasSeq ? seq : null, Ts = ts,
            LinesSinceEntry = lines, Bids = ReadLevels(r), Asks = ReadLevels(r),
        };
    }

    private static void WriteLevels(BinaryWriter w, IReadOnlyList<BookLevel> levels)
    {
        w.Write(levels.Count);
        foreach (var level in levels)
        {
            w.Write(level.Px);
            w.Write(level.Sz);
        }
    }

    private static BookLevel[] ReadLevels(BinaryReader r)
    {
        var levels = new BookLevel[Count(r)];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = new BookLevel(r.ReadString(), r.ReadString());
        }

        return levels;
    }
}
