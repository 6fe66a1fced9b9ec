using System.Buffers;
using Pipeline.Vault.Io;
using Serilog;

namespace Pipeline.Vault.Jsonl;

/// <summary>
/// The single writer of one JSONL file. Appends are buffered; the buffer only ever holds whole
/// lines, flushes write them at once, and <see cref="Sync"/> flushes and fsyncs. On open a torn
/// tail (a last line without '\n', left by a crash) is cut off and the cut is logged, so every
/// line in the file is complete. Optionally the file is truncated back to a recorded length
/// (exactly-once output: the state's length wins over a longer file).
/// </summary>
public sealed class JsonlAppender : IBufferWriter<byte>, IDisposable
{
    private const int DefaultBufferSize = 256 * 1024;
    private static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _stream;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private byte[] _buffer;
    private int _buffered;
    private int _lineStart;
    private long _lastSync;
    private bool _unsynced;

    private JsonlAppender(string path, FileStream stream, TimeProvider time, ILogger log, int bufferSize)
    {
        Path = path;
        _stream = stream;
        _time = time;
        _log = log;
        _buffer = new byte[bufferSize];
        _lastSync = time.GetTimestamp();
        FlushedLength = stream.Length;
    }

    public string Path { get; }

    /// <summary>Bytes on disk (written, maybe not yet fsynced).</summary>
    public long FlushedLength { get; private set; }

    /// <summary>Logical length including buffered whole lines: where the next line starts.</summary>
    public long Length => FlushedLength + _lineStart;

    /// <summary>Bytes cut from a torn tail when the file was opened.</summary>
    public long RepairedBytes { get; private set; }

    /// <summary>
    /// Opens (creating parent folders and the file when missing) and repairs the tail.
    /// With <paramref name="truncateTo"/> the file is cut back to that length first
    /// (a length larger than the file is an error: the state refers to bytes that are gone).
    /// </summary>
    public static JsonlAppender Open(string path, long? truncateTo = null, TimeProvider? time = null,
        ILogger? log = null, int bufferSize = DefaultBufferSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        time ??= TimeProvider.System;
        log ??= Serilog.Log.Logger;
        DurableFile.EnsureParentDirectory(path);
        var created = !File.Exists(path);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        try
        {
            if (created)
            {
                DurableFile.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            }

            if (truncateTo is { } length)
            {
                if (length > stream.Length)
                {
                    throw new InvalidDataException(
                        $"{path} is {stream.Length} bytes but the state expects at least {length}: the file was truncated or replaced outside the pipeline");
                }

                if (length < stream.Length)
                {
                    log.Information("Truncating {Path} from {Length} to the recorded {Recorded} bytes", path, stream.Length, length);
                    stream.SetLength(length);
                    stream.Flush(true);
                }
            }

            var appender = new JsonlAppender(path, stream, time, log, bufferSize);
            appender.RepairTail();
            stream.Seek(0, SeekOrigin.End);
            return appender;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one line; a missing trailing '\n' is added.</summary>
    public void AppendLine(ReadOnlySpan<byte> line)
    {
        var needsNewline = line.Length == 0 || line[^1] != (byte)'\n';
        var span = GetSpan(line.Length + 1);
        line.CopyTo(span);
        var n = line.Length;
        if (needsNewline)
        {
            span[n++] = (byte)'\n';
        }

        Advance(n);
        EndLine();
    }

    /// <summary>
    /// Marks the bytes written through <see cref="GetSpan"/>/<see cref="Advance"/> since the last
    /// call as one complete line (they must end in '\n'). Only whole lines ever reach the file.
    /// </summary>
    public void EndLine()
    {
        if (_buffered == _lineStart || _buffer[_buffered - 1] != (byte)'\n')
        {
            throw new InvalidOperationException("a line must end with '\\n'");
        }

        _lineStart = _buffered;
        _unsynced = true;
        if (_buffered > _buffer.Length / 2)
        {
            Flush();
        }
    }

    /// <summary>Drops bytes written since the last <see cref="EndLine"/> (a record that failed mid-way).</summary>
    public void DiscardPartialLine() => _buffered = _lineStart;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_buffered + count > _buffer.Length)
        {
            throw new InvalidOperationException("advanced past the requested span");
        }

        _buffered += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_buffered);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_buffered);
    }

    /// <summary>Writes buffered whole lines to the file (no fsync).</summary>
    public void Flush()
    {
        if (_lineStart == 0)
        {
            return;
        }

        _stream.Write(_buffer, 0, _lineStart);
        FlushedLength += _lineStart;
        var partial = _buffered - _lineStart;
        if (partial > 0)
        {
            Buffer.BlockCopy(_buffer, _lineStart, _buffer, 0, partial);
        }

        _buffered = partial;
        _lineStart = 0;
    }

    /// <summary>Flushes and fsyncs: after this returns every appended line is durable.</summary>
    public void Sync()
    {
        Flush();
        if (_unsynced)
        {
            _stream.Flush(true);
            _unsynced = false;
        }

        _lastSync = _time.GetTimestamp();
    }

    /// <summary>Syncs when the last sync is at least a second old; returns whether it did.</summary>
    public bool SyncIfDue()
    {
        if (!_unsynced || _time.GetElapsedTime(_lastSync) < SyncInterval)
        {
            return false;
        }

        Sync();
        return true;
    }

    public void Dispose()
    {
        try
        {
            Sync();
        }
        finally
        {
            _stream.Dispose();
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _buffered >= sizeHint)
        {
            return;
        }

        Flush();
        if (_buffer.Length - _buffered < sizeHint)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + sizeHint));
        }
    }

    private void RepairTail()
    {
        var length = _stream.Length;
        if (length == 0)
        {
            return;
        }

        // Scan back for the last '\n'; everything after it is a torn line.
        var chunk = new byte[64 * 1024];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - chunk.Length);
            var count = (int)(end - start);
            _stream.Seek(start, SeekOrigin.Begin);
            _stream.ReadExactly(chunk, 0, count);
            var index = chunk.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                Cut(length, start + index + 1);
                return;
            }

            end = start;
        }

        Cut(length, 0);
    }

    private void Cut(long length, long keep)
    {
        if (keep == length)
        {
            return;
        }

        RepairedBytes = length - keep;
        _log.Warning("Cut a torn tail of {Bytes} bytes from {Path} (crash while appending); the file now ends at {Length}",
            RepairedBytes, Path, keep);
        _stream.SetLength(keep);
        _stream.Flush(true);
        FlushedLength = keep;
    }
}
