using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Pipeline.Simulator;

namespace Pipeline.Exporter.Tests.Simulator;

/// <summary>
/// Helpers for tests against a real simulator over loopback. Every wait is for an event (a message, a close)
/// with a generous bound; none is a fixed window in which something is hoped to happen.
/// </summary>
internal static class SimTestKit
{
    public static readonly DateTimeOffset PastStart = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How long a wait for an event may take before the test fails: generous, reached only by a broken run.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static Task<SimulatorHost> StartAsync(SimulatorOptions? options = null) =>
        SimulatorHost.StartAsync(options ?? new SimulatorOptions());

    public static async Task<ClientWebSocket> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Bound);
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

    /// <summary>
    /// Messages (kept by <paramref name="keep"/>) until there are <paramref name="count"/>; stops early when the
    /// socket closes or the bound (default 60 s, only for a broken run) passes, so the caller asserts the count.
    /// </summary>
    public static async Task<List<string>> CollectAtLeastAsync(ClientWebSocket socket, int count, Func<string, bool>? keep = null, TimeSpan? timeout = null)
    {
        var list = new List<string>();
        var bound = timeout ?? Bound;
        var clock = Stopwatch.StartNew();
        while (list.Count < count && clock.Elapsed < bound && socket.State == WebSocketState.Open)
        {
            var text = await ReceiveAsync(socket, bound - clock.Elapsed);
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

    /// <summary>Receives until the server closes or drops the connection (bounded); returns the messages before that.</summary>
    public static async Task<int> DrainUntilClosedAsync(ClientWebSocket socket, TimeSpan? timeout = null)
    {
        var buffer = new byte[64 * 1024];
        var messages = 0;
        using var cts = new CancellationTokenSource(timeout ?? Bound);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return messages;
                }

                messages += result.EndOfMessage ? 1 : 0;
            }
        }
        catch (WebSocketException)
        {
            return messages; // dropped without a close frame
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not close the connection within {(timeout ?? Bound).TotalSeconds:F0} s");
        }
    }

    public static bool IsData(string text) => text.Contains("\"data\"", StringComparison.Ordinal);

    /// <summary>Waits for a message matching <paramref name="match"/>; fails after the bound.</summary>
    public static async Task<string> ExpectAsync(ClientWebSocket socket, Func<string, bool> match, TimeSpan? timeout = null)
    {
        var bound = timeout ?? Bound;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            var text = await ReceiveAsync(socket, bound - clock.Elapsed);
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
