namespace Pipeline.Exporter.Micro;

/// <summary>
/// Reads the complete lines at the end of a day file (at most a number of bytes), without the torn last line a
/// crash may leave (the appender cuts that on open). Used on start to learn the last sequence and recent keys.
/// </summary>
public static class MicroTail
{
    /// <summary>One complete line and the byte offset where it starts.</summary>
    public readonly record struct Line(long Offset, byte[] Bytes);

    public static List<Line> Read(string path, int maxBytes)
    {
        var lines = new List<Line>();
        if (!File.Exists(path))
        {
            return lines;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - maxBytes);
        var buffer = new byte[stream.Length - start];
        stream.Position = start;
        stream.ReadExactly(buffer);
        var at = 0;
        if (start > 0)
        {
            // The read began inside a line: skip to the first line that starts in the buffer.
            var first = Array.IndexOf(buffer, (byte)'\n');
            at = first < 0 ? buffer.Length : first + 1;
        }

        while (at < buffer.Length)
        {
            var end = Array.IndexOf(buffer, (byte)'\n', at);
            if (end < 0)
            {
                break; // torn tail: not a line
            }

            if (end > at)
            {
                lines.Add(new Line(start + at, buffer[at..end]));
            }

            at = end + 1;
        }

        return lines;
    }
}
