using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Trading;
using Serilog;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// OKX's private WebSocket kept alive (PROTOCOL.md "Private API"): connect, <c>login</c> (server-clock seconds), subscribe
/// <c>orders</c> and <c>positions</c> (instType SWAP, per instId), hand every push to the sink. Sends the text <c>ping</c>
/// after 25 s without a message (OKX closes a connection idle for 30 s) and drops the connection when nothing (no
/// <c>pong</c>) came back by 30 s. A dropped connection is reopened with exponential backoff (equal jitter, capped at a
/// minute), the server clock measured again, logged in and subscribed again, and only then reported with <see cref="IOkxPushSink.OnGap"/>.
/// </summary>
internal sealed class OkxPrivateStream : IAsyncDisposable
{
    public static readonly TimeSpan PingAfter = TimeSpan.FromSeconds(25);
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    private readonly ILogger _log = Log.ForContext<OkxPrivateStream>();
    private readonly Uri _url;
    private readonly OkxSigner _signer;
    private readonly Func<long> _serverNowMs;
    private readonly Func<CancellationToken, Task> _resync;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reconnectDelay;
    private readonly IOkxPushSink _sink;
    private readonly CancellationTokenSource _stop = new();
    private volatile string[] _instIds = [];
    private Task? _run;
    private Connection? _current;
    private long _pongs;
    private long _pings;
    private int _sessions;

    /// <param name="resync">Measures the server clock again (before each reconnect: a login more than 30 s off is refused).</param>
    public OkxPrivateStream(Uri url, OkxSigner signer, Func<long> serverNowMs, Func<CancellationToken, Task> resync, TimeProvider time, TimeSpan reconnectDelay, IOkxPushSink sink)
    {
        _resync = resync;
        _url = url;
        _signer = signer;
        _serverNowMs = serverNowMs;
        _time = time;
        _reconnectDelay = reconnectDelay;
        _sink = sink;
    }

    /// <summary>Pings sent / pongs received (for tests and metrics).</summary>
    public long Pings => Interlocked.Read(ref _pings);

    public long Pongs => Interlocked.Read(ref _pongs);

    /// <summary>Connections logged in and subscribed so far (1 after start, +1 per reconnect).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public bool IsStarted => _run is not null;

    /// <summary>
    /// Opens the first connection (login and subscriptions acknowledged) and starts serving it. Throws
    /// <see cref="VenueException"/>: Auth for a refused login, Unavailable when the socket cannot be opened.
    /// </summary>
    public async Task StartAsync(IReadOnlyCollection<string> instIds, CancellationToken token)
    {
        if (_run is not null)
        {
            throw new InvalidOperationException("the OKX private stream is already started");
        }

        _instIds = [.. instIds];
        var connection = await OpenAsync(token).ConfigureAwait(false);
        _run = Task.Run(() => RunAsync(connection, _stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Adds instruments to a started stream: the subscriptions are per instId, so the connection is reopened with the
    /// whole set (reported as a gap, which only makes the executor reconcile). False when nothing was new.
    /// </summary>
    public bool Add(IReadOnlyCollection<string> instIds)
    {
        var all = _instIds.Union(instIds, StringComparer.Ordinal).ToArray();
        if (all.Length == _instIds.Length)
        {
            return false;
        }

        _instIds = all;
        _current?.Abort();
        return true;
    }

    /// <summary>Aborts the current connection (as a network drop would): the stream reconnects and reports a gap.</summary>
    internal void Drop() => _current?.Abort();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _current?.Abort();
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _current?.Dispose();
        _stop.Dispose();
    }

    /// <summary>The backoff before reconnect attempt <paramref name="attempt"/> (0 first): equal jitter under base × 2^attempt, capped.</summary>
    public static TimeSpan Backoff(TimeSpan initial, int attempt)
    {
        var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
#pragma warning disable CA5394 // jitter, not security
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
#pragma warning restore CA5394
    }

    private async Task RunAsync(Connection connection, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var why = await ServeAsync(connection, token).ConfigureAwait(false);
            connection.Dispose();
            if (token.IsCancellationRequested)
            {
                return;
            }

            var droppedMs = _serverNowMs();
            _log.Warning("OKX private WebSocket dropped ({Reason}); reconnecting", why);
            var reopened = await ReconnectAsync(token).ConfigureAwait(false);
            if (reopened is null)
            {
                return;
            }

            connection = reopened;
            _sink.OnGap($"okx private WebSocket dropped ({why}) and was reconnected; order and fill events may have been missed", droppedMs);
        }
    }

    private async Task<Connection?> ReconnectAsync(CancellationToken token)
    {
        string? lastError = null;
        for (var attempt = 0; !token.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(Backoff(_reconnectDelay, attempt), _time, token).ConfigureAwait(false);
                await _resync(token).ConfigureAwait(false);
                return await OpenAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e)
            {
                // Whatever failed, keep trying (with backoff): a stream that silently stopped would be worse than a noisy one.
                if (e.Message != lastError)
                {
                    // A refused login here is logged, not thrown: REST calls surface a bad key to the executor.
                    _log.Error("OKX private WebSocket reconnect attempt {Attempt} failed: {Error}", attempt + 1, SecretRedactor.Redact(e.Message));
                    lastError = e.Message;
                }
            }
        }

        return null;
    }

    /// <summary>Receives and dispatches until the connection drops; returns why.</summary>
    private async Task<string> ServeAsync(Connection connection, CancellationToken token)
    {
        try
        {
            while (true)
            {
                var text = await ReceiveAsync(connection, token).ConfigureAwait(false);
                if (text is null)
                {
                    return connection.DeadReason ?? "closed by the server";
                }

                Dispatch(text, connection);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return "stopped";
        }
        catch (Exception e)
        {
            // Any failure ends this connection, never the stream: ClientWebSocket.Abort disposes the socket, so a receive
            // after our own abort (keep-alive, notice 64008, a new instrument) is an ObjectDisposedException.
            if (e is not (WebSocketException or IOException or ObjectDisposedException or OperationCanceledException))
            {
                _log.Error(e, "OKX private WebSocket connection {Connection} failed unexpectedly; reconnecting", connection.Id);
            }

            return connection.DeadReason ?? e.Message;
        }
        finally
        {
            await connection.StopKeepAliveAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Connect, log in, subscribe; pushes that arrive before the acknowledgements are dispatched.</summary>
    private async Task<Connection> OpenAsync(CancellationToken token)
    {
        var socket = new ClientWebSocket();
        var connection = new Connection(socket, _time, Interlocked.Increment(ref _sessions) - 1);
        var ok = false;
        try
        {
            using var timeout = new CancellationTokenSource(HandshakeTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            try
            {
                await socket.ConnectAsync(_url, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException || (e is OperationCanceledException && !token.IsCancellationRequested))
            {
                throw new VenueException(VenueErrorKind.Unavailable, $"okx private WebSocket {_url.GetLeftPart(UriPartial.Path)}: cannot connect ({e.Message})", null, null, e);
            }

            await connection.SendAsync(_signer.LoginFrame(_serverNowMs() / 1000), linked.Token).ConfigureAwait(false);
            await ExpectAsync(connection, "login", 1, linked.Token).ConfigureAwait(false);
            var instIds = _instIds; // one snapshot: Add may replace the set meanwhile (and then reopens this connection)
            await connection.SendAsync(SubscribeFrame(instIds), linked.Token).ConfigureAwait(false);
            await ExpectAsync(connection, "subscribe", instIds.Length * 2, linked.Token).ConfigureAwait(false);
            ok = true;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new VenueException(VenueErrorKind.Unavailable, $"okx private WebSocket: no login/subscribe answer within {HandshakeTimeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            throw new VenueException(VenueErrorKind.Unavailable, $"okx private WebSocket dropped during login/subscribe ({e.Message})", null, null, e);
        }
        finally
        {
            if (!ok)
            {
                Interlocked.Decrement(ref _sessions);
                connection.Dispose();
            }
        }

        _current = connection;
        connection.StartKeepAlive(this); // before returning, so the idle timer runs from the acknowledgement
        return connection;
    }

    /// <summary>Reads until <paramref name="count"/> events named <paramref name="name"/>; an error event throws.</summary>
    private async Task ExpectAsync(Connection connection, string name, int count, CancellationToken token)
    {
        for (var seen = 0; seen < count;)
        {
            var text = await ReceiveAsync(connection, token).ConfigureAwait(false)
                ?? throw new VenueException(VenueErrorKind.Unavailable, $"okx private WebSocket closed before the {name} answer");
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var ev = OkxFields.Text(root, "event");
            if (ev == "error" || (ev == name && OkxFields.Text(root, "code") is { Length: > 0 } c && c != "0"))
            {
                var code = OkxFields.Text(root, "code");
                var msg = SecretRedactor.Redact(OkxFields.Text(root, "msg"));
                var kind = OkxErrors.WebSocketKindOf(code);
                throw kind == VenueErrorKind.Auth
                    ? new VenueException(kind, $"okx private WebSocket {name} refused ({code} {msg}): check the key, the secret, the passphrase and demo vs live keys; not retrying", code)
                    : new VenueException(kind, $"okx private WebSocket {name} refused ({code} {msg})", code);
            }

            if (ev == name)
            {
                seen++;
            }
            else if (ev.Length == 0)
            {
                Dispatch(text, connection);
            }
        }
    }

    private void Dispatch(string text, Connection connection)
    {
        if (text == "pong")
        {
            Interlocked.Increment(ref _pongs);
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (OkxFields.Text(root, "event") is { Length: > 0 } ev)
            {
                if (ev is "error" or "notice")
                {
                    _log.Warning("OKX private WebSocket {Event} on connection {Connection}: {Code} {Message}", ev, connection.Id,
                        OkxFields.Text(root, "code"), SecretRedactor.Redact(OkxFields.Text(root, "msg")));
                }

                if (ev == "notice" && OkxFields.Text(root, "code") == "64008")
                {
                    // The service is about to restart this connection: reconnect now rather than lose pushes to the drop.
                    connection.DeadReason = "okx notice 64008 (service upgrade)";
                    connection.Abort();
                }

                return;
            }

            if (!root.TryGetProperty("arg", out var arg) || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            switch (OkxFields.Text(arg, "channel"))
            {
                case "orders":
                    foreach (var row in data.EnumerateArray())
                    {
                        _sink.OnOrder(OkxOrder.Parse(row));
                    }

                    break;
                case "positions":
                    foreach (var row in data.EnumerateArray())
                    {
                        _sink.OnPosition(OkxPositionRow.Parse(row));
                    }

                    break;
            }
        }
        catch (JsonException e)
        {
            _log.Warning("OKX private WebSocket: a frame that is not JSON ignored ({Error})", e.Message);
        }
    }

    private static string SubscribeFrame(IEnumerable<string> instIds)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("op", "subscribe");
            w.WriteStartArray("args");
            foreach (var channel in new[] { "orders", "positions" })
            {
                foreach (var instId in instIds)
                {
                    w.WriteStartObject();
                    w.WriteString("channel", channel);
                    w.WriteString("instType", "SWAP");
                    w.WriteString("instId", instId);
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<string?> ReceiveAsync(Connection connection, CancellationToken token)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        ValueWebSocketReceiveResult result;
        do
        {
            result = await connection.Socket.ReceiveAsync(buffer.GetMemory(4096), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
        }
        while (!result.EndOfMessage);

        connection.Touch();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One socket with its idle clock and keep-alive loop.</summary>
    private sealed class Connection(ClientWebSocket socket, TimeProvider time, int id) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly CancellationTokenSource _keepAliveStop = new();
        private long _lastMessage = time.GetTimestamp();
        private Task _keepAlive = Task.CompletedTask;
        private int _disposed;

        public ClientWebSocket Socket => socket;

        public int Id => id;

        /// <summary>Set when the keep-alive gave up on the connection (no pong).</summary>
        public string? DeadReason { get; set; }

        public void Touch() => Interlocked.Exchange(ref _lastMessage, time.GetTimestamp());

        public async Task SendAsync(string text, CancellationToken token)
        {
            await _sending.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token).ConfigureAwait(false);
            }
            finally
            {
                _sending.Release();
            }
        }

        public void StartKeepAlive(OkxPrivateStream owner)
        {
            Touch();
            _keepAlive = KeepAliveAsync(owner, _keepAliveStop.Token);
        }

        public async Task StopKeepAliveAsync()
        {
            await _keepAliveStop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _keepAlive.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped with the connection.
            }
        }

        public void Abort()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                socket.Abort();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _keepAliveStop.Cancel();
            socket.Dispose();
            _sending.Dispose();
            _keepAliveStop.Dispose();
        }

        private async Task KeepAliveAsync(OkxPrivateStream owner, CancellationToken token)
        {
            var pinged = false;
            while (!token.IsCancellationRequested)
            {
                var idle = time.GetElapsedTime(Interlocked.Read(ref _lastMessage));
                if (idle < PingAfter)
                {
                    pinged = false;
                }
                else if (idle >= DeadAfter)
                {
                    DeadReason = $"no message and no pong for {idle.TotalSeconds:F0} s";
                    Abort();
                    return;
                }
                else if (!pinged)
                {
                    pinged = true;
                    Interlocked.Increment(ref owner._pings);
                    try
                    {
                        await SendAsync("ping", token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
                    {
                        return; // the receive loop sees the drop
                    }
                }

                var wait = idle < PingAfter ? PingAfter - idle : DeadAfter - idle;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, token).ConfigureAwait(false);
            }
        }
    }
}
