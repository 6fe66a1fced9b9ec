using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Pipeline.Exporter.Connection;
using Pipeline.Vault.Micro;
using Serilog;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// The connection of the microstructure recorder: connects to the venue's URL, sends its subscribe frames, hands
/// every frame to <see cref="MicroRecorder.Frame"/>, keeps the link alive (the venue's ping frame; no frame at all
/// for ping interval + pong timeout means a dead link) and reconnects with capped, jittered backoff. A disconnect
/// and a connect each mark every book unknown (resync line "reconnect"); a snapshot the recorder asks for comes
/// from <see cref="IMicroProtocol.RequestSnapshotAsync"/> (frames sent on this connection, a REST snapshot into the
/// recorder, or a reconnect). REST-only data (<see cref="IMicroProtocol.PollInterval"/>) is polled beside it.
/// </summary>
public sealed class MicroFeed(IMicroProtocol protocol, MicroRecorder recorder, IReadOnlyList<string> instIds, ExporterOptions options,
    TimeProvider time, ILogger? log = null)
{
    private static readonly TimeSpan HousekeepingInterval = TimeSpan.FromMilliseconds(250);
    private readonly ILogger _log = (log ?? Log.Logger).ForContext<MicroFeed>();
    private Channel<string>? _outbound;
    private CancellationTokenSource? _connection;
    private long _lastFrame;
    private long _frames;
    private long _reconnects;
    private bool _connected;
    private string? _dropReason;

    /// <summary>
    /// Whether this connection carries the books (the first of <see cref="IMicroProtocol.Connections"/>): only that one
    /// marks books unknown on a disconnect, answers snapshot requests, ticks the recorder and runs the REST polls.
    /// </summary>
    public bool CarriesBook { get; init; } = true;

    public long Frames => Interlocked.Read(ref _frames);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>The connection is open and subscribed (read by health checks on another thread).</summary>
    public bool Connected => Volatile.Read(ref _connected);

    /// <summary>Runs until <paramref name="token"/> is cancelled; the recorder's files are the caller's to close.</summary>
    public async Task RunAsync(CancellationToken token)
    {
        var kinds = recorder.Kinds;
        var url = protocol.Url(instIds, kinds)
            ?? throw new InvalidOperationException($"{protocol.Exchange} names no WebSocket URL for {string.Join(',', kinds.Select(MicroKinds.Name))}");
        if (CarriesBook)
        {
            recorder.SnapshotNeeded = instId => _ = SnapshotAsync(instId, token);
        }

        var housekeeping = CarriesBook ? HousekeepingAsync(token) : Task.CompletedTask;
        var polling = CarriesBook ? PollAsync(token) : Task.CompletedTask;
        var first = true;
        var attempt = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var since = time.GetTimestamp();
                var (connected, reason) = await ConnectionAsync(url, first, token);
                Volatile.Write(ref _connected, false);
                if (token.IsCancellationRequested)
                {
                    break;
                }

                if (connected)
                {
                    first = false;
                    Interlocked.Increment(ref _reconnects);
                    if (CarriesBook)
                    {
                        recorder.Disconnected(reason);
                    }
                }

                attempt = time.GetElapsedTime(since) > TimeSpan.FromSeconds(10) ? 0 : attempt + 1;
                var delay = FeedSupervisor.Backoff(options, attempt);
                _log.Warning("{Exchange} microstructure connection to {Url} ended ({Reason}); reconnecting in {Delay:F1} s",
                    protocol.Exchange, url, reason, delay.TotalSeconds);
                await Task.Delay(delay, time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            if (CarriesBook)
            {
                recorder.SnapshotNeeded = null;
            }

            await Task.WhenAll(housekeeping, polling);
        }
    }

    /// <summary>One connection: (whether it was opened and subscribed, why it ended).</summary>
    private async Task<(bool Connected, string Reason)> ConnectionAsync(Uri url, bool first, CancellationToken token)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var socket = new ClientWebSocket();
        var outbound = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var connected = false;
        Task? sender = null;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Token))
            {
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                await socket.ConnectAsync(url, connectTimeout.Token);
            }

            foreach (var frame in protocol.SubscribeFrames(instIds, recorder.Kinds))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, connection.Token);
            }

            Interlocked.Exchange(ref _lastFrame, time.GetTimestamp());
            _outbound = outbound;
            _connection = connection;
            connected = true;
            Volatile.Write(ref _connected, true);
            if (CarriesBook)
            {
                recorder.Connected(first);
            }
            _log.Information("{Exchange} microstructure connected to {Url} ({Instruments} instruments)", protocol.Exchange, url, instIds.Count);
            sender = SendAsync(socket, outbound.Reader, connection.Token);
            return (true, await ReceiveAsync(socket, connection.Token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return (connected, "stopped");
        }
        catch (OperationCanceledException)
        {
            return (connected, connected ? _dropReason ?? "dropped" : "connect timed out");
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
        {
            return (connected, ex.Message);
        }
        finally
        {
            _outbound = null;
            _connection = null;
            outbound.Writer.TryComplete();
            await connection.CancelAsync();
            if (sender is not null)
            {
                await sender;
            }

            _dropReason = null;
        }
    }


    private async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
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

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"closed by server: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}";
                }

                Interlocked.Exchange(ref _lastFrame, time.GetTimestamp());
                recorder.Frame(buffer.AsSpan(0, length), time.GetUtcNow().ToUnixTimeMilliseconds());
                Interlocked.Increment(ref _frames); // after: a frame counted is a frame handled
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The one sender of a connection (a WebSocket takes one send at a time): snapshot requests and pings.</summary>
    private static async Task SendAsync(ClientWebSocket socket, ChannelReader<string> frames, CancellationToken token)
    {
        try
        {
            await foreach (var frame in frames.ReadAllAsync(token))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Every 250 ms: the recorder's fsync/state/snapshot timeouts, the ping, the dead-link check.</summary>
    private async Task HousekeepingAsync(CancellationToken token)
    {
        var lastPing = time.GetTimestamp();
        try
        {
            using var timer = new PeriodicTimer(HousekeepingInterval, time);
            while (await timer.WaitForNextTickAsync(token))
            {
                recorder.Tick();
                if (_connection is not { } connection)
                {
                    continue;
                }

                if (protocol.PingFrame is { } ping && time.GetElapsedTime(lastPing) >= options.PingInterval)
                {
                    lastPing = time.GetTimestamp();
                    _outbound?.Writer.TryWrite(ping);
                }

                var silent = time.GetElapsedTime(Interlocked.Read(ref _lastFrame));
                if (silent > options.PingInterval + options.PongTimeout)
                {
                    Drop(connection, $"nothing received for {silent.TotalSeconds:F0} s");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Drop(CancellationTokenSource connection, string reason)
    {
        _dropReason ??= reason;
        try
        {
            connection.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // that connection ended already
        }
    }

    private async Task SnapshotAsync(string instId, CancellationToken token)
    {
        try
        {
            var frames = await protocol.RequestSnapshotAsync(instId, recorder, token);
            if (frames is null)
            {
                if (_connection is { } connection)
                {
                    _log.Information("{Exchange} {InstId}: reconnecting for a new book snapshot", protocol.Exchange, instId);
                    Drop(connection, "reconnect for a book snapshot of " + instId);
                }

                return;
            }

            foreach (var frame in frames)
            {
                _outbound?.Writer.TryWrite(frame);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The recorder asks again after its snapshot timeout.
            _log.Warning("{Exchange} {InstId}: book snapshot request failed: {Error}", protocol.Exchange, instId, ex.Message);
        }
    }

    private async Task PollAsync(CancellationToken token)
    {
        if (protocol.PollInterval is not { } interval)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                foreach (var instId in instIds)
                {
                    try
                    {
                        await protocol.PollAsync(instId, recorder.Kinds, recorder, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _log.Warning("{Exchange} {InstId}: REST poll failed: {Error}", protocol.Exchange, instId, ex.Message);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
