using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Simulator;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator.Faults;

namespace Pipeline.Exporter.Tests.Simulator.Faults;

[Collection(SocketTestGroup.Collection)]
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
    public async Task Disconnect_Triggered_CloseFrame1001()
    {
        await using var host = await SimTestKit.StartAsync(With(""));
        using var ws = await ConnectAsync(host);
        Assert.NotEmpty(await SimTestKit.CollectAtLeastAsync(ws, 1)); // served, so the connection is known to the trigger

        Assert.Equal(1, await host.Faults.TriggerNowAsync(ConnectionFault.Disconnect, "binance"));
        await SimTestKit.DrainUntilClosedAsync(ws);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ws.CloseStatus);
        Assert.Equal("simulated disconnect", ws.CloseStatusDescription);
    }

    [Fact]
    public async Task Abort_Triggered_DroppedWithoutCloseFrame()
    {
        await using var host = await SimTestKit.StartAsync(With(""));
        using var ws = await ConnectAsync(host);
        Assert.NotEmpty(await SimTestKit.CollectAtLeastAsync(ws, 1));

        Assert.Equal(1, await host.Faults.TriggerNowAsync(ConnectionFault.Abort));
        await SimTestKit.DrainUntilClosedAsync(ws);

        Assert.NotEqual(WebSocketState.Open, ws.State);
        Assert.Null(ws.CloseStatus);
        await Waits.UntilAsync(() => host.Context.Closes.Any(c => c.ServerInitiated), SimTestKit.Bound, "the server's record of its close");
        Assert.Equal(0, host.Faults.OpenConnections);
    }

    [Fact]
    public async Task Trigger_OtherExchange_ConnectionUntouched()
    {
        await using var host = await SimTestKit.StartAsync(With(""));
        using var ws = await ConnectAsync(host);
        Assert.NotEmpty(await SimTestKit.CollectAtLeastAsync(ws, 1));

        Assert.Equal(0, await host.Faults.TriggerNowAsync(ConnectionFault.Disconnect, "okx"));
        Assert.Equal(1, host.Faults.OpenConnectionsOf("binance"));
        Assert.Equal(100, (await SimTestKit.CollectAtLeastAsync(ws, 100)).Count);
    }

    [Fact]
    public async Task Disconnect_Scheduled_ClosedOnceTheDrawnIntervalPassed()
    {
        // disconnect=300ms closes 150-450 ms after connect, on the simulator's clock: a fake one, moved here.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var host = await SimTestKit.StartAsync(With("disconnect=300ms") with { Time = time, Start = SimTestKit.PastStart });
        using var ws = await ConnectAsync(host);
        var closed = SimTestKit.DrainUntilClosedAsync(ws);
        await Waits.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50)); // each step wakes the connection's watchdog (and the feed)
            return closed.IsCompleted;
        }, SimTestKit.Bound, "the scheduled disconnect");

        await closed;
        Assert.NotEqual(WebSocketState.Open, ws.State);
        await Waits.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50)); // after a clean close the server waits (2 s, its clock) for the client's close frame
            return host.Context.Closes.Any(c => c.ServerInitiated);
        }, SimTestKit.Bound, "the server's record of its close");
    }

    [Fact]
    public async Task Stall_Triggered_DataFirstThenSilentButOpen()
    {
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions { Rate = 100, Speed = 5, Instruments = ["BTC-USDT-SWAP"] });
        using var ws = await SubscribeOkxAsync(host);
        var seen = 0;
        var data = await SimTestKit.CollectAtLeastAsync(ws, 3, t => ++seen > 0 && SimTestKit.IsData(t));
        Assert.Equal(3, data.Count); // data flows first

        Assert.Equal(1, await host.Faults.TriggerNowAsync(ConnectionFault.Stall, "okx"));
        Assert.Equal(1, host.Faults.Stalls);

        await AssertSilentButOpenAsync(host, ws, seen);
    }

    [Fact]
    public async Task Stall_Scheduled_SilentButOpen()
    {
        // stall=3s silences the connection 1.5-4.5 s after connect on the simulator's clock: a fake one, moved here.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Rate = 100, Speed = 5, Instruments = ["BTC-USDT-SWAP"], Faults = FaultSpec.Parse("stall=3s"), Time = time, Start = SimTestKit.PastStart,
        });
        using var ws = await SubscribeOkxAsync(host);
        await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\":\"subscribe\"", StringComparison.Ordinal));
        Assert.Equal(0, host.Faults.Stalls);

        await Waits.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(50)); // wakes the connection's watchdog (and the feed)
            return host.Faults.Stalls == 1;
        }, SimTestKit.Bound, "the scheduled stall");

        await AssertSilentButOpenAsync(host, ws, received: 1, time);
    }

    private static async Task<ClientWebSocket> SubscribeOkxAsync(SimulatorHost host)
    {
        var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"op":"subscribe","args":[{"channel":"trades-all","instId":"BTC-USDT-SWAP"}]}""");
        return ws;
    }

    /// <summary>
    /// The stalled connection (the host's only one) sends nothing more: the client gets exactly what the server
    /// sent before the stall; a ping then reaches the server but gets no pong, and while the market publishes
    /// on, the server's sent count stays where it was. The socket stays open throughout.
    /// </summary>
    private static async Task AssertSilentButOpenAsync(SimulatorHost host, ClientWebSocket ws, int received, FakeTimeProvider? time = null)
    {
        var sent = host.Context.MessagesSent; // final: the stall was applied after the last send completed
        var rest = (int)sent - received;
        Assert.Equal(rest, (await SimTestKit.CollectAtLeastAsync(ws, rest)).Count);

        var arrived = host.Context.MessagesReceived;
        var pongs = host.Context.PingsAnswered;
        await SimTestKit.SendAsync(ws, "ping");
        await Waits.UntilAsync(() => host.Context.MessagesReceived > arrived, SimTestKit.Bound, "the ping to reach the server");

        var through = host.PublishedThroughMs;
        await Waits.UntilAsync(() =>
        {
            time?.Advance(TimeSpan.FromMilliseconds(20));
            return host.PublishedThroughMs > through + 2_000;
        }, SimTestKit.Bound, "two more seconds of market");

        Assert.Equal(sent, host.Context.MessagesSent);
        Assert.Equal(pongs, host.Context.PingsAnswered);
        Assert.Equal(WebSocketState.Open, ws.State);
    }
}
