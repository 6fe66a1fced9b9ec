using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Binance;

[Collection(SocketTestGroup.Collection)]
public sealed class BinanceTests
{
    private static SimulatorOptions Live => new() { Rate = 100, Speed = 5, Instruments = ["BTCUSDT", "ETHUSDT"] };

    private static SimulatorOptions Past => new() { Rate = 20, Start = SimTestKit.PastStart, Instruments = ["BTCUSDT"] };

    [Fact]
    public async Task RawStream_AggTradesWithNumbersAndStrings_MatchingTheGenerator()
    {
        await using var host = await SimTestKit.StartAsync(Live);
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/ws/btcusdt@aggTrade");
        var messages = await SimTestKit.CollectAtLeastAsync(ws, 200);
        Assert.Equal(200, messages.Count);
        var generator = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 1, 100);
        long? previous = null;
        foreach (var text in messages)
        {
            using var doc = JsonDocument.Parse(text);
            var e = doc.RootElement;
            Assert.Equal("aggTrade", e.GetProperty("e").GetString());
            Assert.Equal("BTCUSDT", e.GetProperty("s").GetString());
            foreach (var field in new[] { "E", "a", "f", "l", "T" })
            {
                Assert.Equal(JsonValueKind.Number, e.GetProperty(field).ValueKind);
            }

            Assert.Equal(JsonValueKind.String, e.GetProperty("p").ValueKind);
            Assert.Equal(JsonValueKind.String, e.GetProperty("q").ValueKind);
            var a = e.GetProperty("a").GetInt64();
            if (previous is { } p)
            {
                Assert.Equal(p + 1, a);
            }

            previous = a;
            var t = e.GetProperty("T").GetInt64();
            Assert.True(e.GetProperty("E").GetInt64() >= t);
            var print = generator.PrintsBetween(t, t).Single(x => x.Ordinal == a);
            Assert.Equal(generator.Instrument.FormatPrice(print.PriceUnits), e.GetProperty("p").GetString());
            Assert.Equal(generator.Instrument.FormatSize(print.SizeUnits), e.GetProperty("q").GetString());
            Assert.Equal(print.FirstId, e.GetProperty("f").GetInt64());
            Assert.Equal(print.LastId, e.GetProperty("l").GetInt64());
            Assert.Equal(!print.Buy, e.GetProperty("m").GetBoolean());
            Assert.Matches(@"^\d+\.\d{3}$", e.GetProperty("q").GetString());
        }
    }

    [Fact]
    public async Task CombinedStream_WrappedWithStreamName_AndLiveSubscribe()
    {
        await using var host = await SimTestKit.StartAsync(Live);
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/stream?streams=btcusdt@aggTrade");
        await SimTestKit.SendAsync(ws, """{"method":"SUBSCRIBE","params":["ethusdt@aggTrade"],"id":1}""");
        var seen = new HashSet<string>();
        var ack = false;
        foreach (var text in await SimTestKit.CollectAtLeastAsync(ws, 300))
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("result", out var result))
            {
                Assert.Equal(JsonValueKind.Null, result.ValueKind);
                Assert.Equal(1, doc.RootElement.GetProperty("id").GetInt32());
                ack = true;
                continue;
            }

            var stream = doc.RootElement.GetProperty("stream").GetString()!;
            Assert.Equal(stream[..^"@aggTrade".Length].ToUpperInvariant(), doc.RootElement.GetProperty("data").GetProperty("s").GetString());
            seen.Add(stream);
        }

        Assert.True(ack);
        Assert.Equal(["btcusdt@aggTrade", "ethusdt@aggTrade"], seen.Order());
    }

    [Fact]
    public async Task LegacyPath_AcksButDeliversNoAggTrades()
    {
        await using var host = await SimTestKit.StartAsync(Live);
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/ws/btcusdt@aggTrade");
        await SimTestKit.SendAsync(ws, """{"method":"SUBSCRIBE","params":["ethusdt@aggTrade"],"id":7}""");
        Assert.Equal("""{"result":null,"id":7}""", await SimTestKit.ReceiveAsync(ws, SimTestKit.Bound));

        // The same stream on /market does deliver (so the silence is the routing, not a quiet market) ...
        using var routed = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/ws/btcusdt@aggTrade");
        Assert.Equal(50, (await SimTestKit.CollectAtLeastAsync(routed, 50)).Count);

        // ... and those trades were offered to every subscriber before this request was even sent: one connection's
        // messages keep their order, so the reply coming next proves no aggTrade was delivered on the legacy path.
        await SimTestKit.SendAsync(ws, """{"method":"LIST_SUBSCRIPTIONS","id":8}""");
        var next = await SimTestKit.ReceiveAsync(ws, SimTestKit.Bound);
        Assert.NotNull(next);
        Assert.StartsWith("{\"result\":[", next, StringComparison.Ordinal);
        Assert.EndsWith("],\"id\":8}", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeInfo_PerpetualTradingWithFilters()
    {
        await using var host = await SimTestKit.StartAsync(Past);
        using var client = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(client, host.Endpoints.BinanceRest + "fapi/v1/exchangeInfo");
        Assert.Equal(200, status);
        var symbol = body.GetProperty("symbols").EnumerateArray().Single();
        Assert.Equal("BTCUSDT", symbol.GetProperty("symbol").GetString());
        Assert.Equal("PERPETUAL", symbol.GetProperty("contractType").GetString());
        Assert.Equal("TRADING", symbol.GetProperty("status").GetString());
        var filters = symbol.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!);
        Assert.Equal("0.1", filters["PRICE_FILTER"].GetProperty("tickSize").GetString());
        Assert.Equal("0.001", filters["LOT_SIZE"].GetProperty("stepSize").GetString());
    }

    [Fact]
    public async Task AggTrades_FromIdInclusive_TimeRangeInclusive_LimitsAndErrors()
    {
        await using var host = await SimTestKit.StartAsync(Past);
        using var client = new HttpClient();
        var url = host.Endpoints.BinanceRest + "fapi/v1/aggTrades?symbol=BTCUSDT";
        var latest = (await SimTestKit.GetJsonAsync(client, url)).Body.EnumerateArray().ToList();
        Assert.Equal(500, latest.Count); // default limit
        var a0 = latest[0].GetProperty("a").GetInt64();
        Assert.Equal(a0 + 499, latest[^1].GetProperty("a").GetInt64());
        Assert.True(latest[^1].GetProperty("T").GetInt64() <= host.Clock.NowMs);

        var from = (await SimTestKit.GetJsonAsync(client, $"{url}&fromId={a0 + 10}&limit=1000")).Body.EnumerateArray().ToList();
        Assert.Equal(a0 + 10, from[0].GetProperty("a").GetInt64());
        Assert.InRange(from.Count, 490, 1000);
        Assert.All(from, r => Assert.True(r.GetProperty("T").GetInt64() <= host.Clock.NowMs)); // nothing after the simulated now
        foreach (var row in from)
        {
            Assert.Equal(["a", "p", "q", "nq", "f", "l", "T", "m"], row.EnumerateObject().Select(p => p.Name));
        }

        var t = from[5].GetProperty("T").GetInt64();
        var range = (await SimTestKit.GetJsonAsync(client, $"{url}&startTime={t}&endTime={t}")).Body.EnumerateArray().ToList();
        Assert.NotEmpty(range);
        Assert.All(range, r => Assert.Equal(t, r.GetProperty("T").GetInt64()));

        var hour = await SimTestKit.GetJsonAsync(client, $"{url}&startTime={t - 3_600_000}&endTime={t}");
        Assert.Equal(400, hour.Status);
        Assert.Equal(-1127, hour.Body.GetProperty("code").GetInt32());
        Assert.Equal(200, (await SimTestKit.GetJsonAsync(client, $"{url}&startTime={t - 3_599_999}&endTime={t}&limit=3")).Status);

        var tooMany = await SimTestKit.GetJsonAsync(client, $"{url}&limit=1001");
        Assert.Equal(400, tooMany.Status);
        var old = await SimTestKit.GetJsonAsync(client, $"{url}&startTime={t - (3 * 86_400_000L)}&endTime={t - (3 * 86_400_000L) + 1000}");
        Assert.Equal(-4166, old.Body.GetProperty("code").GetInt32());
        var unknown = await SimTestKit.GetJsonAsync(client, host.Endpoints.BinanceRest + "fapi/v1/aggTrades?symbol=XRPUSDT");
        Assert.Equal(-1121, unknown.Body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ServerPings_AnsweredByTheClient_ConnectionKeepsDelivering()
    {
        await using var host = await SimTestKit.StartAsync(Live with
        {
            BinancePingInterval = TimeSpan.FromMilliseconds(100),
            BinancePongTimeout = TimeSpan.FromMilliseconds(400),
        });
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/ws/btcusdt@aggTrade");

        // The client answers pings while it receives; ten pings span more than two pong timeouts, so an unanswered
        // one would have ended the connection by then.
        var messages = 0;
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (await SimTestKit.ReceiveAsync(ws, SimTestKit.Bound) is not null && !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref messages);
            }
        });
        await Waits.UntilAsync(() => host.Context.ServerPingsSent >= 10 || receiving.IsCompleted, SimTestKit.Bound, "ten server pings");
        Assert.False(receiving.IsCompleted, "the connection ended during the ping rounds");
        var after = Volatile.Read(ref messages);
        await Waits.UntilAsync(() => Volatile.Read(ref messages) > after || receiving.IsCompleted, SimTestKit.Bound, "a trade after the ping rounds");
        Assert.True(Volatile.Read(ref messages) > after, "no trade after the ping rounds");
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, ws.State);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Unsubscribe_StopsDelivery_ListSubscriptions()
    {
        await using var host = await SimTestKit.StartAsync(Live);
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/ws");
        await SimTestKit.SendAsync(ws, """{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","ethusdt@aggTrade"],"id":1}""");
        await SimTestKit.ExpectAsync(ws, t => t == """{"result":null,"id":1}""");
        await SimTestKit.SendAsync(ws, """{"method":"UNSUBSCRIBE","params":["ethusdt@aggTrade"],"id":2}""");
        await SimTestKit.ExpectAsync(ws, t => t == """{"result":null,"id":2}""");
        await SimTestKit.SendAsync(ws, """{"method":"LIST_SUBSCRIPTIONS","id":3}""");
        await SimTestKit.ExpectAsync(ws, t => t == """{"result":["btcusdt@aggTrade"],"id":3}""");
        var after = await SimTestKit.CollectAtLeastAsync(ws, 100);
        Assert.All(after, t => Assert.Contains("\"s\":\"BTCUSDT\"", t, StringComparison.Ordinal));
    }
}
