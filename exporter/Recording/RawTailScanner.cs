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

    /// <summary>Calls <paramref name="onEntry"/> for every line of the file whose tradeId is above <paramref name="above"/>.</summary>
    public static int Scan(string path, long above, List<IdEntry> entries)
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
            if (TryExtract(line, out var id, out var ts, out var count) && id > above)
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
