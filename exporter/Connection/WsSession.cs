using System.Buffers;
using System.Net.WebSockets;
using Serilog;

namespace Pipeline.Exporter.Connection;

/// <summary>
/// One WebSocket connection: connect, subscribe, receive frames into a reused buffer and hand them to
/// the protocol's handler. Liveness comes from the keepalive alone: every <see cref="ExporterOptions.PingInterval"/>
/// the protocol's ping goes out (OKX text "ping", Binance LIST_SUBSCRIPTIONS), and a ping left unanswered
/// for <see cref="ExporterOptions.PongTimeout"/> while nothing else arrives either means a dead link. Trade
/// silence on a live connection is only reported (once per silence): quiet instruments are normal.
/// A stop (handover, shutdown, refused subscription) sends a close frame (1000) and waits at most
/// <see cref="ExporterOptions.CloseTimeout"/> for the server's; only a dead link is dropped without one.
/// </summary>
public sealed class WsSession : IDisposable
{
    private readonly IFeedProtocol _protocol;
    private readonly ExporterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenRegistration _outer;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _handover = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ClientWebSocket _socket = new();
    private long _lastMessage;
    private long _lastData;
    private long _pingSent;
    private long _pingSentUtc;
    private long _opened;
    private long _frames;
    private long _dataFrames;
    private long _pongs;
    private long _pings;
    private long _watchedUtc;
    private int _stopping;
    private bool _quietReported;
    private string? _endReason;

    public WsSession(IFeedProtocol protocol, ExporterOptions options, TimeProvider time, ILogger log, CancellationToken token)
    {
        _protocol = protocol;
        _options = options;
        _time = time;
        _log = log;
        // Not linked to the caller's token: cancelling a receive aborts the socket, so shutdown goes
        // through Stop (close frame first), and only the bounded close wait cancels.
        _stop = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        // No client-initiated control pings: the protocol's own ping is observable (and answered in order
        // with the data); Binance's server pings get automatic pongs from ClientWebSocket.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        Completion = Task.Run(RunAsync, CancellationToken.None);
        _outer = token.Register(() => Stop("shutdown"));
    }

    /// <summary>Completes when the subscription is confirmed (or, on Binance, when connected).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Completes when the server (or the age limit) asks for make-before-break reconnection.</summary>
    public Task HandoverRequested => _handover.Task;

    /// <summary>Completes with the reason when the connection is over.</summary>
    public Task<SessionEnd> Completion { get; }

    /// <summary>
    /// Called on the receive loop when a ping is answered on a subscribed connection, with the local UTC
    /// time (ms) the ping was sent: every frame the server sent before answering has been handled.
    /// </summary>
    public Action<long>? PingAnswered { get; set; }

    /// <summary>Frames received and handled on this connection.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Local UTC ms of the watchdog's last check (liveness of the watchdog itself; tests on a fake clock wait for it).</summary>
    public long WatchedUtc => Interlocked.Read(ref _watchedUtc);

    /// <summary>A ping is waiting for its answer.</summary>
    public bool PingOutstanding => Interlocked.Read(ref _pingSent) != 0;

    /// <summary>Pings sent on this connection.</summary>
    public long Pings => Interlocked.Read(ref _pings);

    /// <summary>Pings answered on this connection.</summary>
    public long Pongs => Interlocked.Read(ref _pongs);

    /// <summary>Trade silences reported on this connection (each one once).</summary>
    public int QuietPeriods { get; private set; }

    /// <summary>
    /// Ends the connection: sends a close frame (1000) and lets the receive loop read the server's close,
    /// for at most <see cref="ExporterOptions.CloseTimeout"/> (used for a handover, shutdown and refusals).
    /// </summary>
    public void Stop(string reason)
    {
        _endReason ??= reason;
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            _ = CloseOutputAsync();
        }
    }

    /// <summary>Drops a dead connection at once: no close frame can get through it.</summary>
    private void Abort(string reason)
    {
        _endReason ??= reason;
        Interlocked.Exchange(ref _stopping, 1);
        Cancel();
    }

    private void Cancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task CloseOutputAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _sendLock.WaitAsync(_stop.Token);
                try
                {
                    _stop.CancelAfter(_options.CloseTimeout);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _stop.Token);
                }
                finally
                {
                    _sendLock.Release();
                }

                return; // the receive loop ends on the server's close frame, or the timeout cancels it
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }

        Cancel();
    }

    private async Task<SessionEnd> RunAsync()
    {
        var token = _stop.Token;
        var url = _protocol.Url;
        var handler = _protocol.CreateHandler(url);
        using var watchdog = new CancellationTokenSource();
        Task? watch = null;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                await _socket.ConnectAsync(url, connectTimeout.Token);
            }

            _opened = _lastMessage = _lastData = _time.GetTimestamp();
            _log.Information("Connected to {Url}", url);
            if (_protocol.SubscribeRequest is { } request)
            {
                await SendAsync(request, token);
            }

            if (_protocol.SubscribedOnConnect)
            {
                _subscribed.TrySetResult();
            }

            watch = WatchAsync(url, watchdog.Token);
            await ReceiveLoopAsync(handler, url, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _endReason ??= "stopped";
        }
        catch (WebSocketException ex)
        {
            _endReason ??= "WebSocket error: " + ex.Message;
        }
        catch (HttpRequestException ex)
        {
            _endReason ??= "connect failed: " + ex.Message;
        }
        catch (OperationCanceledException)
        {
            _endReason ??= "connect timed out";
        }
        finally
        {
            await watchdog.CancelAsync();
            if (watch is not null)
            {
                try
                {
                    await watch;
                }
                catch (OperationCanceledException)
                {
                }
            }

            await FinishCloseAsync();
            _socket.Abort();
        }

        return new SessionEnd(_endReason ?? "closed", _subscribed.Task.IsCompleted, _frames);
    }

    /// <summary>
    /// The receive loop has ended: answer a server's close frame, or (a refused subscription) close
    /// ourselves and read the server's answer, bounded by <see cref="ExporterOptions.CloseTimeout"/>.
    /// </summary>
    private async Task FinishCloseAsync()
    {
        try
        {
            using var bound = new CancellationTokenSource(_options.CloseTimeout, _time);
            switch (_socket.State)
            {
                case WebSocketState.CloseReceived:
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, bound.Token);
                    break;
                case WebSocketState.Open when !_stop.IsCancellationRequested:
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, bound.Token);
                    break;
                default:
                    break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ReceiveLoopAsync(IFrameHandler handler, Uri url, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _endReason ??= $"closed by server: {(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }

                var now = _time.GetTimestamp();
                Volatile.Write(ref _lastMessage, now);
                var recvTs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var outcome = await handler.HandleAsync(buffer.AsMemory(0, length), recvTs, token);
                Interlocked.Increment(ref _frames);
                switch (outcome)
                {
                    case FrameOutcome.Data:
                        _dataFrames++;
                        Volatile.Write(ref _lastData, now);
                        _subscribed.TrySetResult();
                        break;
                    case FrameOutcome.Subscribed:
                        Volatile.Write(ref _lastData, now);
                        _subscribed.TrySetResult();
                        break;
                    case FrameOutcome.Pong:
                        OnPong();
                        break;
                    case FrameOutcome.Handover:
                        _handover.TrySetResult();
                        break;
                    case FrameOutcome.Fatal:
                        _endReason ??= $"subscription refused by {url}";
                        return;
                    default:
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnPong()
    {
        Interlocked.Increment(ref _pongs);
        // One ping is outstanding at a time and replies come in order: this answers it.
        var sentUtc = Interlocked.Exchange(ref _pingSentUtc, 0);
        Interlocked.Exchange(ref _pingSent, 0);
        if (sentUtc != 0 && _subscribed.Task.IsCompleted)
        {
            PingAnswered?.Invoke(sentUtc);
        }
    }

    private async Task WatchAsync(Uri url, CancellationToken token)
    {
        var step = TimeSpan.FromMilliseconds(Math.Clamp(_options.PingInterval.TotalMilliseconds / 10, 20, 500));
        var lastPing = _time.GetTimestamp();
        while (!token.IsCancellationRequested && Volatile.Read(ref _stopping) == 0)
        {
            await Task.Delay(step, _time, token);
            var pingSent = Interlocked.Read(ref _pingSent);
            Interlocked.Exchange(ref _watchedUtc, _time.GetUtcNow().ToUnixTimeMilliseconds());
            if (pingSent == 0 && _time.GetElapsedTime(lastPing) >= _options.PingInterval)
            {
                lastPing = _time.GetTimestamp();
                Interlocked.Exchange(ref _pingSentUtc, _time.GetUtcNow().ToUnixTimeMilliseconds());
                Interlocked.Exchange(ref _pingSent, lastPing);
                Interlocked.Increment(ref _pings);
                try
                {
                    await SendAsync(_protocol.PingRequest, token);
                }
                catch (WebSocketException ex)
                {
                    Abort("ping failed: " + ex.Message);
                    return;
                }
            }
            else if (pingSent != 0 && _time.GetElapsedTime(pingSent) > _options.PongTimeout &&
                _time.GetElapsedTime(Volatile.Read(ref _lastMessage)) > _options.PongTimeout)
            {
                // Frames still arriving mean a pong queued behind data, not a dead link.
                _log.Warning("No answer to a ping on {Url} within {Seconds:F0} s and nothing else received: dead connection; reconnecting",
                    url, _options.PongTimeout.TotalSeconds);
                Abort($"no pong within {_options.PongTimeout.TotalSeconds:F0} s");
                return;
            }

            if (_subscribed.Task.IsCompleted)
            {
                ReportSilence(url);
            }
            else if (_time.GetElapsedTime(_opened) > _options.SubscribeTimeout)
            {
                Stop($"no subscribe acknowledgement within {_options.SubscribeTimeout.TotalSeconds:F0} s");
                return;
            }

            if (_time.GetElapsedTime(_opened) > _options.MaxConnectionAge)
            {
                _handover.TrySetResult();
            }
        }
    }

    /// <summary>Trade silence on a live connection: logged once per silence, never a reason to reconnect.</summary>
    private void ReportSilence(Uri url)
    {
        var sinceData = _time.GetElapsedTime(Volatile.Read(ref _lastData));
        if (sinceData <= _options.EffectiveSilenceTimeout)
        {
            if (_quietReported)
            {
                _quietReported = false;
                _log.Information("Trade data from {Url} again", url);
            }

            return;
        }

        if (_quietReported)
        {
            return;
        }

        _quietReported = true;
        QuietPeriods++;
        if (_dataFrames == 0 && _protocol.SubscribedOnConnect)
        {
            _log.Error("ALARM: no trade data from {Url} for {Seconds:F0} s after subscribing: wrong host or path? " +
                "(aggTrade is only delivered on /market; a legacy or unrouted URL acknowledges and then stays silent)",
                url, sinceData.TotalSeconds);
        }
        else
        {
            _log.Information("No trade data from {Url} for {Seconds:F0} s; pings answered ({Pongs}), staying connected (a quiet market)",
                url, sinceData.TotalSeconds, Pongs);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> text, CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try
        {
            if (Volatile.Read(ref _stopping) != 0 && _socket.State != WebSocketState.Open)
            {
                return;
            }

            await _socket.SendAsync(text, WebSocketMessageType.Text, true, token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose()
    {
        _outer.Dispose();
        Cancel();
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
