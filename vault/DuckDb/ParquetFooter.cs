using System.Buffers.Binary;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A cheap check that a file can be a complete Parquet file, reading 12 bytes and no data: "PAR1" at
/// both ends and a footer length that fits between them. A day cut short (a crash mid-copy, a full
/// disk, a partial restore) fails it, so a reader can skip that one file instead of failing on it.
/// </summary>
public static class ParquetFooter
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Null when the file looks complete, else why it does not (one line).</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            var length = stream.Length;
            if (length < 12)
            {
                return $"{length} bytes, too short for a Parquet file";
            }

            Span<byte> head = stackalloc byte[4];
            stream.ReadExactly(head);
            if (!head.SequenceEqual(Magic))
            {
                return "no Parquet magic at the start";
            }

            Span<byte> tail = stackalloc byte[8];
            stream.Seek(length - 8, SeekOrigin.Begin);
            stream.ReadExactly(tail);
            if (!tail[4..].SequenceEqual(Magic))
            {
                return "no Parquet magic at the end (truncated?)";
            }

            var footer = BinaryPrimitives.ReadUInt32LittleEndian(tail);
            return footer == 0 || footer > length - 12 ? $"footer length {footer} does not fit in {length} bytes" : null;
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
        catch (UnauthorizedAccessException ex)
        {
            return ex.Message;
        }
    }
}
