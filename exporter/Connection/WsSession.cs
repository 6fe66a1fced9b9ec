using System.Buffers;
using System.Net.WebSockets;
using Serilog;

namespace Pipeline.Exporter.Connection;

/// <summary>
/// One WebSocket connection: connect, subscribe, receive frames into a reused buffer and hand them to
/// the protocol's handler; OKX text ping every <see cref="ExporterOptions.PingInterval"/>; ends on close,
/// error, missing pong, or data silence after subscribe (the stall / "wrong host = silence" alarm).
/// Binance pings are control frames: ClientWebSocket answers them itself.
/// </summary>
public sealed class WsSession : IDisposable
{
    private readonly IFeedProtocol _protocol;
    private readonly ExporterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _handover = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ClientWebSocket _socket = new();
    private long _lastMessage;
    private long _lastData;
    private long _pingSent;
    private long _opened;
    private long _frames;
    private long _dataFrames;
    private string? _endReason;

    public WsSession(IFeedProtocol protocol, ExporterOptions options, TimeProvider time, ILogger log, CancellationToken token)
    {
        _protocol = protocol;
        _options = options;
        _time = time;
        _log = log;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        // No client-initiated control pings: OKX wants text pings, Binance pings us (and gets auto pongs).
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        Completion = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Completes when the subscription is confirmed (or, on Binance, when connected).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Completes when the server (or the age limit) asks for make-before-break reconnection.</summary>
    public Task HandoverRequested => _handover.Task;

    /// <summary>Completes with the reason when the connection is over.</summary>
    public Task<SessionEnd> Completion { get; }

    /// <summary>Ends the connection (used after a handover and on shutdown).</summary>
    public void Stop(string reason)
    {
        _endReason ??= reason;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
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

            _socket.Abort();
        }

        return new SessionEnd(_endReason ?? "closed", _subscribed.Task.IsCompleted, _frames);
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
                _frames++;
                var recvTs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                var outcome = await handler.HandleAsync(buffer.AsMemory(0, length), recvTs, token);
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

    private async Task WatchAsync(Uri url, CancellationToken token)
    {
        var step = TimeSpan.FromMilliseconds(Math.Clamp(_options.EffectiveSilenceTimeout.TotalMilliseconds / 10, 50, 500));
        var silence = _options.EffectiveSilenceTimeout;
        var lastPing = _time.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(step, _time, token);
            var sinceMessage = _time.GetElapsedTime(Volatile.Read(ref _lastMessage));
            if (_protocol.UsesTextPing)
            {
                if (_time.GetElapsedTime(lastPing) >= _options.PingInterval)
                {
                    lastPing = _time.GetTimestamp();
                    if (_pingSent == 0)
                    {
                        _pingSent = lastPing;
                    }

                    try
                    {
                        await SendAsync("ping"u8.ToArray(), token);
                    }
                    catch (WebSocketException ex)
                    {
                        Stop("ping failed: " + ex.Message);
                        return;
                    }
                }

                if (_pingSent != 0 && Volatile.Read(ref _lastMessage) > _pingSent)
                {
                    _pingSent = 0;
                }
                else if (_pingSent != 0 && _time.GetElapsedTime(_pingSent) > _options.PongTimeout)
                {
                    Stop($"no pong within {_options.PongTimeout.TotalSeconds:F0} s");
                    return;
                }
            }

            if (_subscribed.Task.IsCompleted || _protocol.SubscribedOnConnect)
            {
                var sinceData = _time.GetElapsedTime(Volatile.Read(ref _lastData));
                if (sinceData > silence)
                {
                    if (_dataFrames == 0 && !_protocol.UsesTextPing)
                    {
                        _log.Error("ALARM: no trade data from {Url} for {Seconds:F0} s after subscribing: wrong host or path? " +
                            "(aggTrade is only delivered on /market; a legacy or unrouted URL acknowledges and then stays silent)",
                            url, sinceData.TotalSeconds);
                    }
                    else
                    {
                        _log.Warning("No trade data from {Url} for {Seconds:F1} s (stall?); reconnecting", url, sinceData.TotalSeconds);
                    }

                    Stop($"data silence for {sinceData.TotalSeconds:F1} s");
                    return;
                }
            }
            else if (sinceMessage > silence)
            {
                Stop($"no subscribe acknowledgement within {silence.TotalSeconds:F0} s");
                return;
            }

            if (_time.GetElapsedTime(_opened) > _options.MaxConnectionAge)
            {
                _handover.TrySetResult();
            }
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> text, CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try
        {
            await _socket.SendAsync(text, WebSocketMessageType.Text, true, token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose()
    {
        Stop("disposed");
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
