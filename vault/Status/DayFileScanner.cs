using System.Buffers.Text;
using Pipeline.Vault.Jsonl;

namespace Pipeline.Vault.Status;

/// <summary>Counts complete lines and tracks the event-time range of a raw JSONL file, from a previous result on.</summary>
public static class DayFileScanner
{
    private static ReadOnlySpan<byte> TsKey => "\"ts\":"u8;

    public static DayFileStats Scan(string path, DayFileStats? previous)
    {
        var length = new FileInfo(path).Length;
        if (previous is not null && previous.Length == length)
        {
            return previous;
        }

        // A shorter file was truncated or replaced: start over.
        var start = previous is not null && previous.Length < length ? previous : null;
        long lines = start?.Lines ?? 0;
        long? first = start?.FirstTs, min = start?.MinTs, max = start?.MaxTs;
        using var reader = JsonlReader.Open(path, start?.Length ?? 0);
        while (reader.TryReadLine(out var line, out _))
        {
            lines++;
            if (TryTs(line, out var ts))
            {
                first ??= ts;
                min = min is null ? ts : Math.Min(min.Value, ts);
                max = max is null ? ts : Math.Max(max.Value, ts);
            }
        }

        return new DayFileStats { Length = reader.Offset, Lines = lines, FirstTs = first, MinTs = min, MaxTs = max };
    }

    /// <summary>
    /// Rows and event-time range of a compacted raw day, or null with the reason when the file cannot be
    /// read (cut short, unreadable footer or data): one damaged day is reported, not fatal.
    /// </summary>
    public static DayFileStats? TryScanParquet(string path, DayFileStats? previous, out string? problem)
    {
        problem = DuckDb.ParquetFooter.Problem(path);
        if (problem is not null)
        {
            return null;
        }

        try
        {
            return ScanParquet(path, previous);
        }
        catch (DuckDb.DuckDbException ex)
        {
            problem = ex.Message.Split('\n', 2)[0];
            return null;
        }
    }

    /// <summary>Rows and event-time range of a compacted raw day (read through DuckDB; cached by length).</summary>
    public static DayFileStats ScanParquet(string path, DayFileStats? previous)
    {
        var length = new FileInfo(path).Length;
        if (previous is not null && previous.Length == length)
        {
            return previous;
        }

        using var connection = DuckDb.DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("SELECT count(*), min(ts), max(ts) FROM read_parquet(?)", path);
        reader.Read();
        long? min = reader.IsNull(1) ? null : reader.GetInt64(1);
        long? max = reader.IsNull(2) ? null : reader.GetInt64(2);
        return new DayFileStats { Length = length, Lines = reader.GetInt64(0), FirstTs = min, MinTs = min, MaxTs = max };
    }

    /// <summary>The "ts" number of a raw or minute line without a full parse.</summary>
    public static bool TryTs(ReadOnlySpan<byte> line, out long ts)
    {
        ts = 0;
        var at = line.IndexOf(TsKey);
        return at >= 0 && Utf8Parser.TryParse(line[(at + TsKey.Length)..], out ts, out _);
    }
}
