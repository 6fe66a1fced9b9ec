using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Exporter.Simulator;
using Pipeline.Exporter.Simulator.Faults;

namespace Pipeline.Exporter.Tests.Simulator.Faults;

public sealed class SocketFaultTests
{
    private static SimulatorOptions With(string faults) =>
        new() { Rate = 100, Speed = 5, Instruments = ["BTCUSDT"], Faults = FaultSpec.Parse(faults) };

    private static async Task<ClientWebSocket> ConnectAsync(SimulatorHost host) =>
        await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/ws/btcusdt@aggTrade");

    private static long Id(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("a").GetInt64();
    }

    [Fact]
    public async Task Dup_EveryMessageTwice()
    {
        await using var host = await SimTestKit.StartAsync(With("dup=1"));
        using var ws = await ConnectAsync(host);
        var ids = (await SimTestKit.CollectAtLeastAsync(ws, 100)).Select(Id).ToList();
        Assert.Equal(100, ids.Count);
        for (var i = 0; i < ids.Count; i += 2)
        {
            Assert.Equal(ids[i], ids[i + 1]);
        }
    }

    [Fact]
    public async Task Reorder_NeighboursSwapped_NothingLost()
    {
        await using var host = await SimTestKit.StartAsync(With("reorder=0.3"));
        using var ws = await ConnectAsync(host);
        var ids = (await SimTestKit.CollectAtLeastAsync(ws, 300)).Select(Id).ToList();
        Assert.Contains(ids.Zip(ids.Skip(1)), p => p.Second < p.First);
        var sorted = ids.Order().ToList();
        Assert.Equal(Enumerable.Range(0, sorted.Count - 1).Select(k => sorted[0] + k), sorted.Take(sorted.Count - 1));
    }

    [Fact]
    public async Task Malformed_GarbageOrTruncatedFrames()
    {
        await using var host = await SimTestKit.StartAsync(With("malformed=1"));
        using var ws = await ConnectAsync(host);
        var messages = await SimTestKit.CollectAtLeastAsync(ws, 50);
        var bad = 0;
        foreach (var text in messages)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                bad++;
            }
        }

        Assert.True(bad >= 25, $"{bad} of {messages.Count} malformed");
    }

    [Fact]
    public async Task Disconnect_SocketClosedAroundTheInterval()
    {
        await using var host = await SimTestKit.StartAsync(With("disconnect=300ms"));
        using var ws = await ConnectAsync(host);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        try
        {
            while (DateTime.UtcNow < until && await SimTestKit.ReceiveAsync(ws, TimeSpan.FromSeconds(1)) is not null)
            {
            }
        }
        catch (WebSocketException)
        {
            // an abrupt close is one of the two simulated disconnects
        }

        Assert.NotEqual(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task Stall_SilentButOpen()
    {
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Rate = 100, Speed = 5, Instruments = ["BTC-USDT-SWAP"], Faults = FaultSpec.Parse("stall=3s"), // stalls 1.5–4.5 s after connecting: data flows first even on a slow start
        });
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"op":"subscribe","args":[{"channel":"trades-all","instId":"BTC-USDT-SWAP"}]}""");

        // One receive stays pending throughout (cancelling a ClientWebSocket receive aborts the socket).
        var buffer = new byte[64 * 1024];
        var pending = ws.ReceiveAsync(buffer, CancellationToken.None);
        var received = 0;
        var stalled = false;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!stalled && DateTime.UtcNow < until)
        {
            // Before any data only a long silence counts (a loaded machine is slow to start); after it,
            // 700 ms of silence is a candidate stall, confirmed when even a ping gets no answer for 1.5 s
            // (a busy machine can pause the stream for a moment without a stall).
            var silence = received < 2 ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(700);
            if (await Task.WhenAny(pending, Task.Delay(silence)) == pending)
            {
                received++;
                pending = ws.ReceiveAsync(buffer, CancellationToken.None);
                continue;
            }

            await SimTestKit.SendAsync(ws, "ping");
            stalled = await Task.WhenAny(pending, Task.Delay(1500)) != pending; // not even a pong
        }

        Assert.True(received > 0, "data flowed before the stall");
        Assert.True(stalled, "no stall within 20 s");
        Assert.Equal(WebSocketState.Open, ws.State);
    }
}
