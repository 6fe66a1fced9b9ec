using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Simulator;

namespace Pipeline.Exporter.Tests.Simulator;

/// <summary>Helpers for tests against a real simulator over loopback.</summary>
internal static class SimTestKit
{
    public static readonly DateTimeOffset PastStart = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public static Task<SimulatorHost> StartAsync(SimulatorOptions? options = null) =>
        SimulatorHost.StartAsync(options ?? new SimulatorOptions());

    public static async Task<ClientWebSocket> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri(url), timeout.Token);
        return socket;
    }

    public static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next text message, or null when the socket closed or nothing came within the timeout.</summary>
    public static async Task<string?> ReceiveAsync(ClientWebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.ToArray());
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every text message received for <paramref name="duration"/>.</summary>
    public static async Task<List<string>> CollectAsync(ClientWebSocket socket, TimeSpan duration, Func<string, bool>? keep = null)
    {
        var list = new List<string>();
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until && socket.State == WebSocketState.Open)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var text = await ReceiveAsync(socket, left);
            if (text is null)
            {
                break;
            }

            if (keep is null || keep(text))
            {
                list.Add(text);
            }
        }

        return list;
    }

    /// <summary>Messages (kept by <paramref name="keep"/>) until there are <paramref name="count"/> or the timeout passes.</summary>
    public static async Task<List<string>> CollectAtLeastAsync(ClientWebSocket socket, int count, Func<string, bool>? keep = null, TimeSpan? timeout = null)
    {
        var list = new List<string>();
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (list.Count < count && DateTime.UtcNow < until && socket.State == WebSocketState.Open)
        {
            var text = await ReceiveAsync(socket, until - DateTime.UtcNow);
            if (text is null)
            {
                break;
            }

            if (keep is null || keep(text))
            {
                list.Add(text);
            }
        }

        return list;
    }

    public static bool IsData(string text) => text.Contains("\"data\"", StringComparison.Ordinal);

    /// <summary>Waits for a message matching <paramref name="match"/>; fails after the timeout.</summary>
    public static async Task<string> ExpectAsync(ClientWebSocket socket, Func<string, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < until)
        {
            var text = await ReceiveAsync(socket, until - DateTime.UtcNow);
            if (text is null)
            {
                break;
            }

            if (match(text))
            {
                return text;
            }
        }

        throw new Xunit.Sdk.XunitException("expected message did not arrive");
    }

    public static async Task<(int Status, JsonElement Body)> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url));
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }
}
