using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Micro;
using Pipeline.Simulator.Truth;
using Serilog;

namespace Pipeline.Simulator.Live;

/// <summary>
/// One simulated exchange WebSocket: a receive loop (subclass handles requests), a single send loop
/// fed by a queue (live batches and control replies), and a watchdog for scheduled faults and idle
/// drops. Delivery faults (dup, reorder, malformed, disconnect, stall) are applied here.
/// </summary>
public abstract class SimSocket : ILiveSink, IMicroListener
{
    private const int MaxBacklog = 200_000;
    private static readonly ILogger Log = Serilog.Log.ForContext<SimSocket>();

    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private int _backlog;
    private long _lastActivity;
    private byte[]? _held;
    private volatile bool _stalled;
    private volatile bool _closing;
    private volatile bool _serverClosed;
    private int _clientCode = SimClose.Abnormal;
    private string _end = "client";
    private DeliveryLog.Connection? _deliveries;

    protected SimSocket(WebSocket socket, SimulatorContext context, ConnectionFaults faults, string connId)
    {
        Socket = socket;
        Output = (socket as SimWebSocket)?.Output;
        Context = context;
        Faults = faults;
        ConnId = connId;
        _lastActivity = context.Time.GetTimestamp();
    }

    protected WebSocket Socket { get; }

    /// <summary>The batching stream under the socket, when the host made one.</summary>
    private CoalescingStream? Output { get; }

    protected SimulatorContext Context { get; }

    protected ConnectionFaults Faults { get; }

    protected string ConnId { get; }

    /// <summary>Close the connection when nothing was received or pushed for this long (OKX); null = never.</summary>
    protected virtual TimeSpan? IdleTimeout => null;

    protected virtual (WebSocketCloseStatus Status, string Reason) IdleClose => (WebSocketCloseStatus.PolicyViolation, "idle");

    /// <summary>The exchange this connection belongs to ("okx", "binance").</summary>
    public abstract string Exchange { get; }

    public void Offer(LiveBatch batch)
    {
        if (_stalled || _closing)
        {
            return;
        }

        if (Interlocked.Increment(ref _backlog) > MaxBacklog)
        {
            // A consumer this slow is cut off, as exchanges do.
            _closing = true;
            _queue.Writer.TryWrite(Outgoing.Close(WebSocketCloseStatus.PolicyViolation, "slow consumer"));
            return;
        }

        _queue.Writer.TryWrite(new Outgoing(batch, null, null, null));
    }

    /// <summary>Queues a micro channel message (book, quotes, ...): sent in order with the trades, through the same data faults.</summary>
    public void OfferMicro(MicroFrame frame)
    {
        if (_stalled || _closing)
        {
            return;
        }

        if (Interlocked.Increment(ref _backlog) > MaxBacklog)
        {
            _closing = true;
            _queue.Writer.TryWrite(Outgoing.Close(WebSocketCloseStatus.PolicyViolation, "slow consumer"));
            return;
        }

        _queue.Writer.TryWrite(new Outgoing(default, null, null, null, Micro: frame));
    }

    public async Task RunAsync(CancellationToken token)
    {
        Context.Faults.Opened(this);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var send = SendLoopAsync(cts.Token);
        var receive = ReceiveLoopAsync(cts.Token);
        var watchdog = WatchdogAsync(cts.Token);
        try
        {
            await Task.WhenAny(send, receive);
            if (send.IsCompleted && Socket.State == WebSocketState.CloseSent)
            {
                // We closed: let the client's close frame come back so the close frame is not lost to a reset.
                await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), Context.Time, CancellationToken.None));
            }
        }
        finally
        {
            Context.Faults.Closed(this);
            Context.Feed.UnsubscribeAll(this);
            Context.Micro?.UnsubscribeAll(this);
            _queue.Writer.TryComplete();
            await cts.CancelAsync();
            try
            {
                await Task.WhenAll(send, receive, watchdog);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
                // the connection ended; nothing more to do
            }

            // The send loop (the queue's single reader) has ended: a fault injected as the connection ended was never applied.
            while (_queue.Reader.TryRead(out var left))
            {
                left.Applied?.TrySetResult(false);
            }

            if (Socket.State == WebSocketState.CloseReceived)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            else if (Socket.State == WebSocketState.Open)
            {
                Socket.Abort();
                _end = _end == "client" ? "abort" : _end; // the server stopped with the connection open
            }

            _deliveries?.End(_end, Volatile.Read(ref _clientCode));
            Context.RecordClose(new SimClose(ConnId, Volatile.Read(ref _clientCode), _serverClosed));
        }
    }

    /// <summary>
    /// Applies a connection fault now; the task says whether it was applied, once it was: a stall once the send
    /// loop has finished its last message, a disconnect once the close frame is out, an abort at once.
    /// </summary>
    public Task<bool> Inject(ConnectionFault fault)
    {
        var applied = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        switch (fault)
        {
            case ConnectionFault.Abort:
                _closing = true;
                _serverClosed = true;
                _end = "abort";
                if (Socket is SimWebSocket sim)
                {
                    sim.Drop();
                }
                else
                {
                    Socket.Abort();
                }

                applied.TrySetResult(true);
                break;
            case ConnectionFault.Disconnect:
                _closing = true;
                if (!_queue.Writer.TryWrite(Outgoing.Close(WebSocketCloseStatus.EndpointUnavailable, "simulated disconnect", applied)))
                {
                    applied.TrySetResult(false);
                }

                break;
            case ConnectionFault.Stall:
                // Silent from now on; the marker comes back through the send loop once a message it was sending is out.
                _stalled = true;
                if (!_queue.Writer.TryWrite(new Outgoing(default, null, null, null, applied)))
                {
                    applied.TrySetResult(false);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown connection fault");
        }

        return applied.Task;
    }

    /// <summary>Handles one complete text message from the client.</summary>
    protected abstract void OnText(ReadOnlySpan<byte> message);

    /// <summary>Writes and sends the messages of one batch with <see cref="SendDataAsync"/>.</summary>
    protected abstract ValueTask SendBatchAsync(LiveBatch batch, ArrayBufferWriter<byte> buffer, CancellationToken token);

    /// <summary>Sends one micro message (default: the payload as it is) with <see cref="SendDataAsync"/>.</summary>
    protected virtual ValueTask SendMicroAsync(MicroFrame frame, ArrayBufferWriter<byte> buffer, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return SendDataAsync(frame.Payload, token);
    }

    /// <summary>Queues a reply (ack, error, pong); replies bypass the data faults but not a stall.</summary>
    protected void Reply(string text) => _queue.Writer.TryWrite(new Outgoing(default, Encoding.UTF8.GetBytes(text), null, null));

    protected void Reply(byte[] bytes) => _queue.Writer.TryWrite(new Outgoing(default, bytes, null, null));

    protected void Touch() => Interlocked.Exchange(ref _lastActivity, Context.Time.GetTimestamp());

    /// <summary>Sends one data message, applying the per-message faults.</summary>
    protected async ValueTask SendDataAsync(ReadOnlyMemory<byte> message, CancellationToken token)
    {
        if (_stalled)
        {
            return;
        }

        Touch();
        if (Faults.Any)
        {
            if (Faults.Malformed())
            {
                if (Faults.Truncate())
                {
                    await SendAsync(message[..Math.Max(1, message.Length / 2)], token);
                    return;
                }

                await SendAsync("{\"data\":[{\"instId\":\u0000garbage"u8.ToArray(), token);
            }

            if (_held is { } held)
            {
                _held = null;
                await SendAsync(message, token);
                await SendAsync(held, token);
                return;
            }

            if (Faults.Reorder())
            {
                _held = message.ToArray();
                return;
            }

            await SendAsync(message, token);
            if (Faults.Dup())
            {
                await SendAsync(message, token);
            }

            return;
        }

        await SendAsync(message, token);
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken token)
    {
        Context.CountSent();
        return Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, token);
    }

    private async Task SendLoopAsync(CancellationToken token)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(token))
        {
            Output?.BeginBatch();
            while (reader.TryRead(out var item))
            {
                if (item.CloseStatus is { } status)
                {
                    if (Output is not null)
                    {
                        await Output.EndBatchAsync(token);
                    }

                    await CloseAsync(status, item.CloseReason ?? "", token);
                    item.Applied?.TrySetResult(true);
                    return;
                }

                if (item.Applied is { } marker)
                {
                    Context.Faults.Stalled();
                    marker.TrySetResult(true); // a stall: everything before it has been sent
                    continue;
                }

                if (_stalled)
                {
                    continue;
                }

                if (item.Control is { } control)
                {
                    await SendAsync(control, token);
                    continue;
                }

                Interlocked.Decrement(ref _backlog);
                if (item.Micro is { } micro)
                {
                    await SendMicroAsync(micro, _buffer, token);
                    if (micro.TruthLine >= 0 && !_stalled && Context.Deliveries is { } deliveries)
                    {
                        (_deliveries ??= deliveries.Open(ConnId, Exchange)).Sent(micro);
                    }

                    continue;
                }

                await SendBatchAsync(item.Batch, _buffer, token);
            }

            if (_held is { } held && !_stalled)
            {
                // Nothing to swap with now: send what was held rather than delay it indefinitely.
                _held = null;
                await SendAsync(held, token);
            }

            if (Output is not null)
            {
                await Output.EndBatchAsync(token);
            }
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken token)
    {
        var first = Socket.State == WebSocketState.Open;
        if (first)
        {
            _serverClosed = true;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await Socket.CloseOutputAsync(status, reason, timeout.Token);
            if (first && _end == "client")
            {
                _end = "server-close"; // the close frame is out after everything sent before it
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            Socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        var message = new ArrayBufferWriter<byte>(1024);
        while (!token.IsCancellationRequested)
        {
            var result = await Socket.ReceiveAsync(buffer.AsMemory(), token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // A close frame without a code is 1005 (RFC 6455 7.1.5).
                Volatile.Write(ref _clientCode, (int?)Socket.CloseStatus ?? 1005);
                return;
            }

            message.Write(buffer.AsSpan(0, result.Count));
            if (!result.EndOfMessage)
            {
                if (message.WrittenCount > 1024 * 1024)
                {
                    _queue.Writer.TryWrite(Outgoing.Close(WebSocketCloseStatus.MessageTooBig, "message too big"));
                    return;
                }

                continue;
            }

            Touch();
            Context.CountReceived();
            if (!_stalled && result.MessageType == WebSocketMessageType.Text)
            {
                OnText(message.WrittenSpan);
            }

            message.ResetWrittenCount();
        }
    }

    private async Task WatchdogAsync(CancellationToken token)
    {
        var idle = IdleTimeout;
        var period = TimeSpan.FromMilliseconds(50);
        if (idle is { } i && i / 5 < period)
        {
            period = i / 5;
        }

        while (!token.IsCancellationRequested && !_closing)
        {
            await Task.Delay(period, Context.Time, token);
            if (Faults.DisconnectDue)
            {
                Log.Debug("Simulated disconnect of {ConnId}", ConnId);
                _ = Inject(Faults.AbruptClose() ? ConnectionFault.Abort : ConnectionFault.Disconnect);
                return;
            }

            if (!_stalled && Faults.StallDue)
            {
                Log.Debug("Simulated stall of {ConnId}", ConnId);
                _ = Inject(ConnectionFault.Stall);
            }

            if (!_stalled && idle is { } limit &&
                Context.Time.GetElapsedTime(Interlocked.Read(ref _lastActivity)) >= limit)
            {
                _closing = true;
                var (status, reason) = IdleClose;
                _queue.Writer.TryWrite(Outgoing.Close(status, reason));
                return;
            }
        }
    }

    /// <summary>One item of the send queue: a batch, a micro message, a reply, a close, or (only <see cref="Applied"/>) a stall marker.</summary>
    private readonly record struct Outgoing(LiveBatch Batch, byte[]? Control, WebSocketCloseStatus? CloseStatus, string? CloseReason,
        TaskCompletionSource<bool>? Applied = null, MicroFrame? Micro = null)
    {
        public static Outgoing Close(WebSocketCloseStatus status, string reason, TaskCompletionSource<bool>? applied = null) =>
            new(default, null, status, reason, applied);
    }
}
