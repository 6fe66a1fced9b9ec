using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The schema part of a Parquet file's footer as bytes: files with equal keys have the same columns and
/// types, so the views read each group without <c>union_by_name</c> (which parses every footer in DuckDB,
/// ~0.2 ms a file). The footer (Thrift compact protocol) is walked structurally from end to end, so a
/// footer that is not well-formed is found here too (null).
/// </summary>
public static class ParquetSchemaKey
{
    /// <summary>The key of <paramref name="path"/>, or null when its footer cannot be read or does not parse.</summary>
    public static string? Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // Two positioned reads (the magic at the start, then the end of the file, which holds the footer
            // of nearly every day file): this runs once per Parquet day at every start-up.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length < 12)
            {
                return null;
            }

            Span<byte> head = stackalloc byte[4];
            if (RandomAccess.Read(handle, head, 0) != 4 || !head.SequenceEqual("PAR1"u8))
            {
                return null;
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length - 4, TailRead));
            try
            {
                var tailLength = (int)Math.Min(length - 4, TailRead);
                var tail = buffer.AsSpan(0, tailLength);
                if (RandomAccess.Read(handle, tail, length - tailLength) != tailLength || !tail[^4..].SequenceEqual("PAR1"u8))
                {
                    return null;
                }

                var footerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail[^8..]);
                if (footerLength == 0 || footerLength > length - 12 || footerLength > 64 * 1024 * 1024)
                {
                    return null;
                }

                if (footerLength <= tailLength - 8)
                {
                    return SchemaOf(tail[(tailLength - 8 - (int)footerLength)..^8]);
                }

                var footer = new byte[footerLength];
                return RandomAccess.Read(handle, footer, length - 8 - footerLength) == footer.Length ? SchemaOf(footer) : null;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How much of a file's end one read takes: a day file's footer is a few KiB.</summary>
    private const int TailRead = 64 * 1024;

    /// <summary>The bytes of FileMetaData field 2 (the schema), after checking the whole struct parses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per day file in a fresh process: skip tier 0
    internal static string? SchemaOf(ReadOnlySpan<byte> footer)
    {
        var position = 0;
        short id = 0;
        string? schema = null;
        while (true)
        {
            if (position >= footer.Length)
            {
                return null;
            }

            var start = position;
            var header = footer[position++];
            if (header == 0)
            {
                return position == footer.Length ? schema : null; // STOP must end the footer
            }

            var type = header & 0x0F;
            var delta = header >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)ZigZag(Varint(footer, ref position));
            if (!Skip(footer, ref position, type, depth: 0))
            {
                return null;
            }

            if (id == 2)
            {
                schema = Encoding.Latin1.GetString(footer[start..position]); // one char per byte: equal keys, equal bytes
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Skip(ReadOnlySpan<byte> data, ref int position, int type, int depth)
    {
        if (depth > 32 || position > data.Length)
        {
            return false;
        }

        switch (type)
        {
            case 1 or 2: // booleans carry their value in the type
                return true;
            case 3:
                position += 1;
                return position <= data.Length;
            case 4 or 5 or 6:
                Varint(data, ref position);
                return position <= data.Length;
            case 7:
                position += 8;
                return position <= data.Length;
            case 8:
                var size = Varint(data, ref position);
                if (size > (ulong)(data.Length - Math.Min(position, data.Length)))
                {
                    return false;
                }

                position += (int)size;
                return true;
            case 9 or 10:
                if (position >= data.Length)
                {
                    return false;
                }

                var listHeader = data[position++];
                var count = (ulong)(listHeader >> 4);
                if (count == 15)
                {
                    count = Varint(data, ref position);
                }

                var elementType = listHeader & 0x0F;
                if (count > (ulong)data.Length)
                {
                    return false;
                }

                for (ulong i = 0; i < count; i++)
                {
                    if (!(elementType is 1 or 2 ? Skip(data, ref position, 3, depth + 1) : Skip(data, ref position, elementType, depth + 1)))
                    {
                        return false;
                    }
                }

                return true;
            case 11:
                var entries = Varint(data, ref position);
                if (entries == 0)
                {
                    return true;
                }

                if (position >= data.Length || entries > (ulong)data.Length)
                {
                    return false;
                }

                var kinds = data[position++];
                for (ulong i = 0; i < entries; i++)
                {
                    if (!Skip(data, ref position, kinds >> 4, depth + 1) || !Skip(data, ref position, kinds & 0x0F, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case 12:
                while (true)
                {
                    if (position >= data.Length)
                    {
                        return false;
                    }

                    var header = data[position++];
                    if (header == 0)
                    {
                        return true;
                    }

                    if (header >> 4 == 0)
                    {
                        Varint(data, ref position);
                    }

                    if (!Skip(data, ref position, header & 0x0F, depth + 1))
                    {
                        return false;
                    }
                }

            default:
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Varint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        position = data.Length + 1; // unterminated: fails the caller's bounds check
        return 0;
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
