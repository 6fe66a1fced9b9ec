using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Okx;

[Collection(SocketTestGroup.Collection)]
public sealed class OkxSocketTests
{
    private static SimulatorOptions Fast => new() { Rate = 100, Speed = 5, Instruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP"] };

    [Fact]
    public async Task Subscribe_TradesAll_AckThenOneMessagePerFillMatchingTheGenerator()
    {
        await using var host = await SimTestKit.StartAsync(Fast);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"id":"s1","op":"subscribe","args":[{"channel":"trades-all","instId":"BTC-USDT-SWAP"}]}""");
        var ack = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal));
        using (var doc = JsonDocument.Parse(ack))
        {
            Assert.Equal("subscribe", doc.RootElement.GetProperty("event").GetString());
            Assert.Equal("s1", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("trades-all", doc.RootElement.GetProperty("arg").GetProperty("channel").GetString());
            Assert.Equal("BTC-USDT-SWAP", doc.RootElement.GetProperty("arg").GetProperty("instId").GetString());
            Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("arg").ValueKind);
        }

        var messages = await SimTestKit.CollectAtLeastAsync(ws, 300, SimTestKit.IsData);
        Assert.True(messages.Count >= 300, $"got {messages.Count}");
        var generator = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 1, 100);
        long? previous = null;
        foreach (var text in messages)
        {
            using var doc = JsonDocument.Parse(text);
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal(1, data.GetArrayLength());
            var row = data[0];
            foreach (var field in new[] { "instId", "tradeId", "px", "sz", "side", "source", "ts" })
            {
                Assert.Equal(JsonValueKind.String, row.GetProperty(field).ValueKind);
            }

            Assert.False(row.TryGetProperty("count", out _));
            var id = long.Parse(row.GetProperty("tradeId").GetString()!, CultureInfo.InvariantCulture);
            if (previous is { } p)
            {
                Assert.Equal(p + 1, id);
            }

            previous = id;
            var ts = long.Parse(row.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);
            var fill = generator.FillsBetween(ts, ts).Single(f => f.Id == id);
            Assert.Equal(generator.Instrument.FormatPrice(fill.PriceUnits), row.GetProperty("px").GetString());
            Assert.Equal(generator.Instrument.FormatSize(fill.SizeUnits), row.GetProperty("sz").GetString());
            Assert.Equal(fill.Buy ? "buy" : "sell", row.GetProperty("side").GetString());
        }
    }

    [Fact]
    public async Task Trades_AggregatedPerTakerOrderAndPrice_ConsistentWithTradesAll()
    {
        await using var host = await SimTestKit.StartAsync(Fast);
        using var pub = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        using var bus = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(pub, """{"op":"subscribe","args":[{"channel":"trades","instId":"BTC-USD-SWAP"}]}""");
        await SimTestKit.SendAsync(bus, """{"op":"subscribe","args":[{"channel":"trades-all","instId":"BTC-USD-SWAP"}]}""");
        var aggregated = SimTestKit.CollectAtLeastAsync(pub, 200, SimTestKit.IsData);
        var perFill = SimTestKit.CollectAtLeastAsync(bus, 500, SimTestKit.IsData);
        var fills = new Dictionary<long, (string Px, decimal Sz, string Side, string Ts)>();
        foreach (var text in await perFill)
        {
            using var doc = JsonDocument.Parse(text);
            var row = doc.RootElement.GetProperty("data")[0];
            fills[long.Parse(row.GetProperty("tradeId").GetString()!, CultureInfo.InvariantCulture)] =
                (row.GetProperty("px").GetString()!, decimal.Parse(row.GetProperty("sz").GetString()!, CultureInfo.InvariantCulture),
                 row.GetProperty("side").GetString()!, row.GetProperty("ts").GetString()!);
        }

        var checkedGroups = 0;
        var multi = 0;
        long? previousLast = null;
        foreach (var text in await aggregated)
        {
            using var doc = JsonDocument.Parse(text);
            var row = doc.RootElement.GetProperty("data")[0];
            Assert.Equal(JsonValueKind.Number, row.GetProperty("seqId").ValueKind);
            var last = long.Parse(row.GetProperty("tradeId").GetString()!, CultureInfo.InvariantCulture);
            var count = int.Parse(row.GetProperty("count").GetString()!, CultureInfo.InvariantCulture);
            if (previousLast is { } p)
            {
                Assert.Equal(p, last - count); // the documented gap check holds
            }

            previousLast = last;
            if (!Enumerable.Range(0, count).All(k => fills.ContainsKey(last - k)))
            {
                continue;
            }

            var group = Enumerable.Range(0, count).Select(k => fills[last - k]).ToList();
            Assert.All(group, f => Assert.Equal(row.GetProperty("px").GetString(), f.Px));
            Assert.All(group, f => Assert.Equal(row.GetProperty("side").GetString(), f.Side));
            Assert.All(group, f => Assert.Equal(row.GetProperty("ts").GetString(), f.Ts));
            Assert.Equal(decimal.Parse(row.GetProperty("sz").GetString()!, CultureInfo.InvariantCulture), group.Sum(f => f.Sz));
            checkedGroups++;
            multi += count > 1 ? 1 : 0;
        }

        Assert.True(checkedGroups > 20, $"checked {checkedGroups}");
        Assert.True(multi > 5, "several fills per taker order");
    }

    [Theory]
    [InlineData("public", "trades-all")]
    [InlineData("business", "trades")]
    public async Task Subscribe_ChannelOnWrongPath_Error60018(string path, string channel)
    {
        await using var host = await SimTestKit.StartAsync(Fast);
        var url = path == "public" ? host.Endpoints.OkxWsPublic : host.Endpoints.OkxWsBusiness;
        using var ws = await SimTestKit.ConnectAsync(url.AbsoluteUri);
        await SimTestKit.SendAsync(ws, $$"""{"id":"x9","op":"subscribe","args":[{"channel":"{{channel}}","instId":"BTC-USDT-SWAP"}]}""");
        var reply = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(reply);
        Assert.Equal("error", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("60018", doc.RootElement.GetProperty("code").GetString());
        Assert.Equal("x9", doc.RootElement.GetProperty("id").GetString());
        Assert.Contains("Wrong URL or channel", doc.RootElement.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_UnknownInstrumentOrBadJson_Errors()
    {
        await using var host = await SimTestKit.StartAsync(Fast);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"op":"subscribe","args":[{"channel":"trades","instId":"DOGE-USDT-SWAP"}]}""");
        Assert.Contains("\"60018\"", await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal)), StringComparison.Ordinal);
        await SimTestKit.SendAsync(ws, "{nonsense");
        Assert.Contains("\"60012\"", await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_TextPong()
    {
        await using var host = await SimTestKit.StartAsync(Fast);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(ws, "ping");
        Assert.Equal("pong", await SimTestKit.ReceiveAsync(ws, SimTestKit.Bound));
    }

    [Fact]
    public async Task Idle_NoTraffic_Closed4004_WhilePingsKeepItOpen()
    {
        // The idle limit runs on the simulator's clock, a fake one here: it moves 1 s per ping round, so the pinging
        // socket is never more than 1 s idle while the silent one passes 3 s; no scheduling delay can change that.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var host = await SimTestKit.StartAsync(Fast with { OkxIdleTimeout = TimeSpan.FromSeconds(3), Time = time, Start = SimTestKit.PastStart });
        using var idle = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        using var pinging = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        var idleClosed = SimTestKit.ReceiveAsync(idle, SimTestKit.Bound);
        var rounds = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!idleClosed.IsCompleted)
        {
            Assert.True(clock.Elapsed < SimTestKit.Bound, $"the idle connection was not closed after {rounds} ping rounds");
            await SimTestKit.SendAsync(pinging, "ping");
            Assert.Equal("pong", await SimTestKit.ReceiveAsync(pinging, SimTestKit.Bound));
            time.Advance(TimeSpan.FromSeconds(1));
            rounds++;
            await Task.Yield();
        }

        Assert.Null(await idleClosed);
        Assert.True(rounds >= 3, $"closed after {rounds} s of fake time, before the 3 s limit");
        Assert.Equal((WebSocketCloseStatus)4004, idle.CloseStatus);
        Assert.Contains("No data received", idle.CloseStatusDescription, StringComparison.Ordinal);
        await SimTestKit.SendAsync(pinging, "ping");
        Assert.Equal("pong", await SimTestKit.ReceiveAsync(pinging, SimTestKit.Bound));
        Assert.Equal(WebSocketState.Open, pinging.State);
    }
}
