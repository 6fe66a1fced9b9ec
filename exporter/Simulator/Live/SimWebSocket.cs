using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Pipeline.Simulator.Live;

/// <summary>
/// A server WebSocket over Kestrel's upgraded stream wrapped in a <see cref="CoalescingStream"/>
/// (the RFC 6455 handshake done here, the framing by the runtime's WebSocket), so bursts of frames
/// leave in few socket writes.
/// </summary>
public sealed class SimWebSocket : WebSocket
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly WebSocket _inner;
    private readonly HttpContext _http;

    private SimWebSocket(WebSocket inner, CoalescingStream output, HttpContext http)
    {
        _inner = inner;
        Output = output;
        _http = http;
    }

    public CoalescingStream Output { get; }

    public override WebSocketCloseStatus? CloseStatus => _inner.CloseStatus;

    public override string? CloseStatusDescription => _inner.CloseStatusDescription;

    public override WebSocketState State => _inner.State;

    public override string? SubProtocol => _inner.SubProtocol;

    /// <summary>Accepts the upgrade, or returns null after answering 400 (not a WebSocket request).</summary>
    public static async Task<SimWebSocket?> AcceptAsync(HttpContext http, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout, Action? onPing = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var upgrade = http.Features.Get<IHttpUpgradeFeature>();
        var key = http.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is null || !upgrade.IsUpgradableRequest || !http.WebSockets.IsWebSocketRequest || key.Length == 0)
        {
            http.Response.StatusCode = 400;
            return null;
        }

        http.Response.Headers.Connection = "Upgrade";
        http.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for Sec-WebSocket-Accept; it is not used for security here
        http.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350
        var stream = new CoalescingStream(await upgrade.UpgradeAsync(), onPing);
        var socket = CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = keepAliveInterval,
            KeepAliveTimeout = keepAliveTimeout,
        });
        return new SimWebSocket(socket, stream, http);
    }

    public override void Abort() => _inner.Abort();

    /// <summary>
    /// Drops the TCP connection, as a real abrupt disconnect does: aborting only the WebSocket disposes the
    /// upgraded stream, which neither ends Kestrel's connection nor wakes a read or write pending on it.
    /// </summary>
    public void Drop()
    {
        _inner.Abort();
        _http.Abort();
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        _inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        _inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        _inner.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _inner.ReceiveAsync(buffer, cancellationToken);

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override void Dispose() => _inner.Dispose();
}
