using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// One connection to the USD-M user data stream (<c>{ws}/private/ws/{listenKey}</c>, PROTOCOL.md "Private API"):
/// <see cref="ReceiveAsync"/> yields the <c>ORDER_TRADE_UPDATE</c> events as <see cref="BinanceOrderUpdate"/> and skips the
/// others; <see cref="ReceiveFrameAsync"/> yields every frame for a caller that also reads <c>ACCOUNT_UPDATE</c>
/// (<see cref="TryParseAccountUpdate"/>) and <c>listenKeyExpired</c>. Keeping the listen key alive (PUT every 30 min) and
/// reconnecting are the caller's; a dropped stream ends both with null.
/// </summary>
public sealed class BinanceUserDataClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    /// <summary>One receive buffer for the connection's life (one reader at a time): a frame costs only its own copy.</summary>
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    private BinanceUserDataClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>The stream's path under the WebSocket base, before the listen key (Binance since 2026: <c>/private/ws/</c>).</summary>
    public const string DefaultPath = "/private/ws/";

    /// <summary>Connects to <paramref name="wsBase"/> + <c>/private/ws/</c> + <paramref name="listenKey"/>.</summary>
    public static Task<BinanceUserDataClient> ConnectAsync(Uri wsBase, string listenKey, CancellationToken token) =>
        ConnectAsync(StreamUri(wsBase, DefaultPath, listenKey), token);

    /// <summary>
    /// The stream's address: <paramref name="wsBase"/> + <paramref name="path"/> with the escaped <paramref name="listenKey"/> in
    /// place of <c>{listenKey}</c> (e.g. <c>/private/ws?listenKey={listenKey}&amp;events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE</c>), or
    /// appended when the path has no placeholder (<c>/private/ws/</c> → <c>/private/ws/KEY</c>).
    /// </summary>
    public static Uri StreamUri(Uri wsBase, string path, string listenKey)
    {
        ArgumentNullException.ThrowIfNull(wsBase);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(listenKey);
        const string placeholder = "{listenKey}";
        var escaped = Uri.EscapeDataString(listenKey);
        var tail = path.Contains(placeholder, StringComparison.Ordinal)
            ? path.TrimStart('/').Replace(placeholder, escaped, StringComparison.Ordinal)
            : path.Trim('/') + "/" + escaped;
        return new Uri(wsBase.AbsoluteUri.TrimEnd('/') + "/" + tail);
    }

    /// <summary>Connects to the stream at <paramref name="streamUri"/> (see <see cref="StreamUri"/>).</summary>
    public static async Task<BinanceUserDataClient> ConnectAsync(Uri streamUri, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(streamUri);
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(streamUri, token).ConfigureAwait(false);
            return new BinanceUserDataClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next order update, or null when the stream closed.</summary>
    public async Task<BinanceOrderUpdate?> ReceiveAsync(CancellationToken token)
    {
        while (await ReceiveFrameAsync(token).ConfigureAwait(false) is { } frame)
        {
            if (TryParseOrderUpdate(frame, out var update))
            {
                return update;
            }
        }

        return null;
    }

    /// <summary>The next frame (one JSON event), or null when the stream closed or dropped.</summary>
    public async Task<byte[]?> ReceiveFrameAsync(CancellationToken token)
    {
        var buffer = _buffer;
        buffer.ResetWrittenCount();
        ValueWebSocketReceiveResult result;
        do
        {
            try
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), token).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
                return null; // dropped: the caller reconnects and reconciles by client id
            }
            catch (Exception e) when (!token.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException)
            {
                return null; // aborted by this side (Abort, Dispose)
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
        }
        while (!result.EndOfMessage);

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses an <c>ORDER_TRADE_UPDATE</c> frame; false for any other event.</summary>
    public static bool TryParseOrderUpdate(ReadOnlySpan<byte> frame, out BinanceOrderUpdate update)
    {
        update = null!;
        if (!IsEvent(frame, "ORDER_TRADE_UPDATE"u8))
        {
            return false; // other events are not copied nor parsed into a document
        }

        using var document = JsonDocument.Parse(frame.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("o", out var o))
        {
            return false;
        }

        update = new BinanceOrderUpdate(
            root.GetProperty("E").GetInt64(), root.TryGetProperty("T", out var t) ? t.GetInt64() : 0,
            Text(o, "s"), Text(o, "c"), o.GetProperty("i").GetInt64(), Text(o, "S"), Text(o, "x"), Text(o, "X"),
            Number(o, "l"), Number(o, "L"), Number(o, "z"), Number(o, "n"), Text(o, "N"),
            o.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.True,
            o.TryGetProperty("t", out var id) ? id.GetInt64() : 0, Number(o, "rp"))
        {
            OrigQty = Number(o, "q"),
            Price = Number(o, "p"),
            AvgPrice = Number(o, "ap"),
            OrderType = Text(o, "o"),
            TimeInForce = Text(o, "f"),
        };
        return true;
    }

    /// <summary>
    /// Parses an <c>ACCOUNT_UPDATE</c> frame into its positions (<c>a.P</c>: <c>s</c> symbol, <c>pa</c> signed amount, <c>ep</c> entry
    /// price, <c>up</c> unrealised PnL, <c>ps</c> position side) at transaction time <c>T</c>; false for any other event.
    /// </summary>
    public static bool TryParseAccountUpdate(ReadOnlySpan<byte> frame, out BinanceAccountUpdate update)
    {
        update = null!;
        if (!IsEvent(frame, "ACCOUNT_UPDATE"u8))
        {
            return false;
        }

        using var document = JsonDocument.Parse(frame.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("a", out var a) || a.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var positions = new List<BinanceAccountPosition>();
        if (a.TryGetProperty("P", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in p.EnumerateArray())
            {
                positions.Add(new BinanceAccountPosition(Text(row, "s"), Number(row, "pa"), Number(row, "ep"), Number(row, "up"), Text(row, "ps")));
            }
        }

        update = new BinanceAccountUpdate(
            root.TryGetProperty("E", out var ev) ? ev.GetInt64() : 0, root.TryGetProperty("T", out var t) ? t.GetInt64() : 0, Text(a, "m"), positions);
        return true;
    }

    /// <summary>Whether the frame is <c>{"e":"listenKeyExpired",...}</c>: the stream's key lapsed and the stream stops; make a new key.</summary>
    public static bool IsListenKeyExpired(ReadOnlySpan<byte> frame) => IsEvent(frame, "listenKeyExpired"u8);

    /// <summary>Whether the frame's event type <c>e</c> is <paramref name="name"/>, read without building a document.</summary>
    private static bool IsEvent(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEvent = reader.ValueTextEquals("e"u8);
            reader.Read();
            if (isEvent)
            {
                return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(name);
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Ends the connection at once (no close handshake): a pending receive returns null.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Closing is best effort: the socket is disposed either way.
            }
        }

        _socket.Dispose();
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static decimal Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && decimal.TryParse(v.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : 0m;
}
