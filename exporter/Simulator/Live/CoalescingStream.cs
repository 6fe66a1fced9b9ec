namespace Pipeline.Simulator.Live;

/// <summary>
/// Wraps an upgraded connection stream so that, between <see cref="BeginBatch"/> and
/// <see cref="EndBatchAsync"/>, WebSocket frames are gathered and written in one go: one socket
/// write per burst instead of one per message (the live feed sends thousands of small frames a second).
/// Outside a batch (keep-alive pings, lone replies) writes go straight through. Counts the keep-alive pings
/// the runtime sends (each frame is one write, so a write starting with the ping header byte is one ping).
/// </summary>
public sealed class CoalescingStream(Stream inner, Action? onPing = null) : Stream
{
    /// <summary>FIN + opcode 0x9: a ping frame (RFC 6455 5.2).</summary>
    private const byte PingHeader = 0x89;

    private const int FlushAt = 64 * 1024;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[FlushAt * 2];
    private int _count;
    private volatile bool _batching;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void BeginBatch() => _batching = true;

    public async ValueTask EndBatchAsync(CancellationToken token)
    {
        _batching = false;
        await _gate.WaitAsync(token);
        try
        {
            await DrainAsync(token);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (onPing is not null && !buffer.IsEmpty && buffer.Span[0] == PingHeader)
        {
            onPing();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_batching)
            {
                await DrainAsync(cancellationToken);
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }

            if (_count + buffer.Length > _buffer.Length)
            {
                await DrainAsync(cancellationToken);
                if (buffer.Length > _buffer.Length)
                {
                    await inner.WriteAsync(buffer, cancellationToken);
                    return;
                }
            }

            buffer.CopyTo(_buffer.AsMemory(_count));
            _count += buffer.Length;
            if (_count >= FlushAt)
            {
                await DrainAsync(cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _batching ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush()
    {
        // Writes are flushed by the inner stream; nothing to do synchronously.
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _gate.Dispose();
        await base.DisposeAsync();
    }

    private async ValueTask DrainAsync(CancellationToken token)
    {
        if (_count == 0)
        {
            return;
        }

        var count = _count;
        _count = 0;
        await inner.WriteAsync(_buffer.AsMemory(0, count), token);
    }
}
