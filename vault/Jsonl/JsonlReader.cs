using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.Jsonl;

/// <summary>
/// Reads complete lines of a JSONL file from a byte offset. A line is complete when it ends in
/// '\n', so a reader racing a writer never sees a partial line: it stops before it and
/// <see cref="Offset"/> stays at that line's start until the rest arrives. Lines are returned as
/// spans into an internal buffer, valid until the next call.
/// </summary>
public sealed class JsonlReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferFileOffset;

    private JsonlReader(string path, SafeFileHandle handle, long offset, int bufferSize)
    {
        Path = path;
        _handle = handle;
        _buffer = new byte[bufferSize];
        _bufferFileOffset = offset;
    }

    public string Path { get; }

    /// <summary>Byte offset just past the last line returned: where the next read starts.</summary>
    public long Offset => _bufferFileOffset + _start;

    /// <summary>Opens for shared reading (a writer may be appending) at <paramref name="offset"/>.</summary>
    public static JsonlReader Open(string path, long offset = 0, int bufferSize = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            FileOptions.SequentialScan);
        return new JsonlReader(path, handle, offset, bufferSize);
    }

    /// <summary>
    /// Returns the next complete line (without its '\n') and its starting offset; false when no
    /// complete line is available yet.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out long lineOffset)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                lineOffset = _bufferFileOffset + _start;
                line = available[..newline];
                _start += newline + 1;
                return true;
            }

            if (!Fill())
            {
                line = default;
                lineOffset = Offset;
                return false;
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Reads more bytes after the buffered ones; false at the end of the file.</summary>
    private bool Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _bufferFileOffset += _start;
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
        }

        var read = RandomAccess.Read(_handle, _buffer.AsSpan(_end), _bufferFileOffset + _end);
        _end += read;
        return read > 0;
    }
}
