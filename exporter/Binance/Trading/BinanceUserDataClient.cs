using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// One connection to the USD-M user data stream (<c>{ws}/private/ws/{listenKey}</c>, PROTOCOL.md "Private API"): yields the
/// <c>ORDER_TRADE_UPDATE</c> events as <see cref="BinanceOrderUpdate"/> and skips the others (ACCOUNT_UPDATE, ...). Keeping the
/// listen key alive (PUT every 30 min) and reconnecting are the caller's; a dropped stream ends <see cref="ReceiveAsync"/> with null.
/// </summary>
public sealed class BinanceUserDataClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private BinanceUserDataClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Connects to <paramref name="wsBase"/> + <c>/private/ws/</c> + <paramref name="listenKey"/>.</summary>
    public static async Task<BinanceUserDataClient> ConnectAsync(Uri wsBase, string listenKey, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(wsBase);
        ArgumentException.ThrowIfNullOrEmpty(listenKey);
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(new Uri(wsBase.AbsoluteUri.TrimEnd('/') + "/private/ws/" + Uri.EscapeDataString(listenKey)), token).ConfigureAwait(false);
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
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
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

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            if (TryParseOrderUpdate(buffer.WrittenSpan, out var update))
            {
                return update;
            }
        }
    }

    /// <summary>Parses an <c>ORDER_TRADE_UPDATE</c> frame; false for any other event.</summary>
    public static bool TryParseOrderUpdate(ReadOnlySpan<byte> frame, out BinanceOrderUpdate update)
    {
        update = null!;
        using var document = JsonDocument.Parse(frame.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("e", out var e) || e.GetString() != "ORDER_TRADE_UPDATE"
            || !root.TryGetProperty("o", out var o))
        {
            return false;
        }

        update = new BinanceOrderUpdate(
            root.GetProperty("E").GetInt64(), root.TryGetProperty("T", out var t) ? t.GetInt64() : 0,
            Text(o, "s"), Text(o, "c"), o.GetProperty("i").GetInt64(), Text(o, "S"), Text(o, "x"), Text(o, "X"),
            Number(o, "l"), Number(o, "L"), Number(o, "z"), Number(o, "n"), Text(o, "N"),
            o.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.True,
            o.TryGetProperty("t", out var id) ? id.GetInt64() : 0, Number(o, "rp"));
        return true;
    }

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
