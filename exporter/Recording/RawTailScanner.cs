using System.Buffers.Text;
using Pipeline.Vault.Jsonl;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// Reads just (tradeId, ts, count) from raw day lines, without building records: used on start to
/// rebuild the dedup window from the tail of the current (and previous) day.
/// </summary>
public static class RawTailScanner
{
    public readonly record struct IdEntry(long First, long Last, long Ts);

    /// <summary>What a scan saw besides the entries: the line of the sought id (its ts) and the highest id.</summary>
    public sealed class Facts
    {
        /// <summary>Event time of the line whose tradeId is the sought one (null when no such line).</summary>
        public long? FoundTs { get; set; }

        /// <summary>Highest tradeId of any line read (null when no line parsed).</summary>
        public long? MaxId { get; set; }

        public long MaxIdTs { get; set; }

        /// <summary>Lines whose tradeId is below the sought one.</summary>
        public long Below { get; set; }
    }

    /// <summary>Adds an entry for every line of the file whose tradeId is above <paramref name="above"/>.</summary>
    public static int Scan(string path, long above, List<IdEntry> entries) => Scan(path, above, entries, null);

    /// <summary>As <see cref="Scan(string, long, List{IdEntry})"/>, and notes in <paramref name="facts"/> the line of id
    /// <paramref name="above"/> itself and the highest id (so the state can be checked against the file).</summary>
    public static int Scan(string path, long above, List<IdEntry> entries, Facts? facts)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!File.Exists(path))
        {
            return 0;
        }

        var lines = 0;
        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out _))
        {
            lines++;
            if (!TryExtract(line, out var id, out var ts, out var count))
            {
                continue;
            }

            if (facts is not null)
            {
                if (id == above)
                {
                    facts.FoundTs = ts;
                }
                else if (id < above)
                {
                    facts.Below++;
                }

                if (facts.MaxId is not { } max || id > max)
                {
                    facts.MaxId = id;
                    facts.MaxIdTs = ts;
                }
            }

            if (id > above)
            {
                entries.Add(new IdEntry(count > 1 ? id - count + 1 : id, id, ts));
            }
        }

        return lines;
    }

    public static bool TryExtract(ReadOnlySpan<byte> line, out long id, out long ts, out long count)
    {
        id = ts = 0;
        count = 0;
        return Number(line, "\"tradeId\":\""u8, out id) && Number(line, "\"ts\":"u8, out ts)
            && (Number(line, ",\"count\":"u8, out count) || true);
    }

    private static bool Number(ReadOnlySpan<byte> line, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        var at = line.IndexOf(key);
        return at >= 0 && Utf8Parser.TryParse(line[(at + key.Length)..], out value, out _);
    }
}
