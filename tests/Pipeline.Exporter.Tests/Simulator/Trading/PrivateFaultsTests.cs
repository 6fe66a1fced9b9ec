using System.Globalization;
using System.Net.WebSockets;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Trading;
using Pipeline.Testing.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>Each private-API fault, armed for the next occasion (the spec's probabilities take the same path).</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class PrivateFaultsTests
{
    [Fact]
    public void FaultSpec_PrivateItems_ParsedAndPrinted()
    {
        var spec = FaultSpec.Parse("orderreject=1%,partialfill=0.5,userdrop=0.1,eventlost=0.2,acklost=0.3,ackhold=4%");
        Assert.Equal((0.01, 0.5, 0.1, 0.2, 0.3, 0.04), (spec.OrderReject, spec.PartialFill, spec.UserDrop, spec.EventLost, spec.AckLost, spec.AckHold));
        Assert.Equal("orderreject=0.01,partialfill=0.5,userdrop=0.1,eventlost=0.2,acklost=0.3,ackhold=0.04", spec.ToString());
        Assert.Equal(spec, FaultSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void PrivateFaults_SpecProbabilityOne_AppliesEveryTime()
    {
        var faults = new PrivateFaults(FaultSpec.Parse("orderreject=1"), 1);
        Assert.True(faults.Take(PrivateFault.Reject));
        Assert.True(faults.Take(PrivateFault.Reject));
        Assert.False(faults.Take(PrivateFault.AckLost));
    }

    [Fact]
    public async Task RejectFault_NextOrder_Refused2019ThenTheFollowingAccepted()
    {
        await using var rig = await StartAsync();
        rig.Faults.Arm(PrivateFault.Reject);
        await BinanceAuthTests.Expect(rig.PostOnlyBuyAsync("r1"), 400, -2019, "Margin is insufficient.");
        await BinanceAuthTests.Expect(rig.PostOnlyBuyAsync("r1"), 200, null, null); // a refused id was never recorded
    }

    [Fact]
    public async Task PartialFillFault_MarketOrderForTheTopLevel_HalfFilledRestExpired()
    {
        await using var rig = await StartAsync();
        var client = rig.Client;
        using var ws = await client.UserStreamAsync();
        var top = (await client.DepthAsync()).GetProperty("asks")[0];
        var size = decimal.Parse(top[1].GetString()!, CultureInfo.InvariantCulture);
        Assert.True(size >= 0.002m, $"top ask {size} too small to halve");
        rig.Faults.Arm(PrivateFault.PartialFill);

        var (status, body) = await client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=MARKET&quantity={top[1].GetString()}&newOrderRespType=RESULT");
        var half = Math.Floor(size / 2 / 0.001m) * 0.001m;
        Assert.Equal((200, "EXPIRED"), (status, body.GetProperty("status").GetString()));
        Assert.Equal(half, decimal.Parse(body.GetProperty("executedQty").GetString()!, CultureInfo.InvariantCulture));
        var trade = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"x\":\"TRADE\"", StringComparison.Ordinal));
        Assert.Contains("\"X\":\"PARTIALLY_FILLED\"", trade, StringComparison.Ordinal);
        var expired = await SimTestKit.ExpectAsync(ws, t => t.Contains("ORDER_TRADE_UPDATE", StringComparison.Ordinal));
        Assert.Contains("\"x\":\"EXPIRED\"", expired, StringComparison.Ordinal);
        Assert.Equal([PrivateFault.PartialFill], rig.Faults.Applied);
    }

    [Fact]
    public async Task AckLostFault_ReplyIs503ButTheOrderExists_FoundByOrigClientOrderIdAndNotPlacedTwice()
    {
        await using var rig = await StartAsync();
        var client = rig.Client;
        rig.Faults.Arm(PrivateFault.AckLost);
        await BinanceAuthTests.Expect(rig.PostOnlyBuyAsync("lost-ack"), 503, -1007,
            "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");

        var (status, found) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=lost-ack");
        Assert.Equal((200, "NEW"), (status, found.GetProperty("status").GetString()));
        await BinanceAuthTests.Expect(rig.PostOnlyBuyAsync("lost-ack"), 400, -4116, "ClientOrderId is duplicated."); // a blind retry cannot double it
        var (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal(1, open.GetArrayLength());
    }

    [Fact]
    public async Task AckHoldFault_ReplyWithheldUntilTheClientLeaves_OrderPlacedOnceWithItsNewEventAndTruth()
    {
        using var truth = new TempDir();
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(truth.Path, account);
        using var client = new SimPrivateClient(host, account);
        var bid = (await client.DepthAsync()).GetProperty("bids")[3][0].GetString()!;
        using var ws = await client.UserStreamAsync();
        var faults = host.Context.Private!.Faults;
        faults.Arm(PrivateFault.AckHold);
        var order = PostOnlyBuy(bid, "held-ack");

        using var leave = new CancellationTokenSource();
        var send = client.OrderAsync(order, leave.Token);
        await Waits.UntilAsync(() => faults.Holding == 1 || send.IsCompleted, SimTestKit.Bound, "the reply held");
        Assert.False(send.IsCompleted, "the reply was not withheld");

        // The venue took it while the client still waits: its NEW event is out, the truth has it, a query finds it.
        var created = await SimTestKit.ExpectAsync(ws, t => t.Contains("ORDER_TRADE_UPDATE", StringComparison.Ordinal));
        Assert.Contains("\"x\":\"NEW\"", created, StringComparison.Ordinal);
        Assert.Contains("\"c\":\"held-ack\"", created, StringComparison.Ordinal);
        var news = TradingTruth.Read(truth.Path, account.Name).Events.Where(e => e.ClientOrderId == "held-ack").ToList();
        Assert.Equal([("new", "new")], news.Select(e => (e.Event, e.Status!)));
        var (status, found) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=held-ack");
        Assert.Equal((200, "NEW"), (status, found.GetProperty("status").GetString()));
        Assert.False(send.IsCompleted, "the reply came before the client left");

        // The client goes away (as a killed trader would): the hold ends with no answer, and a resend cannot double the order.
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await Waits.UntilAsync(() => faults.Holding == 0, SimTestKit.Bound, "the held reply released after the client left");
        await BinanceAuthTests.Expect(client.OrderAsync(order), 400, -4116, "ClientOrderId is duplicated.");
        var (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal(1, open.GetArrayLength());
        Assert.Equal([PrivateFault.AckHold], faults.Applied);
    }

    [Fact]
    public async Task AckHoldFault_SimulatorStopsWhileAReplyIsHeld_StopsWithoutWaitingForTheClient()
    {
        var rig = await StartAsync(); // the test stops the host itself
        using var client = rig.Client;
        var faults = rig.Faults;
        faults.Arm(PrivateFault.AckHold);
        var send = rig.PostOnlyBuyAsync("held-stop");
        await Waits.UntilAsync(() => faults.Holding == 1 || send.IsCompleted, SimTestKit.Bound, "the reply held");

        // Kestrel would wait its 30 s shutdown timeout for a request still running; the stop releases the hold instead.
        await rig.Host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, faults.Holding);
        await Assert.ThrowsAsync<HttpRequestException>(() => send); // no answer (not an empty 200): the connection ends without one
    }

    [Fact]
    public async Task EventLostFault_OrderAcknowledged_ItsNewEventNeverSentButLaterEventsAre()
    {
        await using var rig = await StartAsync();
        using var ws = await rig.Client.UserStreamAsync();
        rig.Faults.Arm(PrivateFault.EventLost);
        var (status, _) = await rig.PostOnlyBuyAsync("quiet");
        Assert.Equal(200, status);
        var (cancel, _) = await rig.Client.SignedAsync(HttpMethod.Delete, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=quiet");
        Assert.Equal(200, cancel);

        var first = await SimTestKit.ExpectAsync(ws, t => t.Contains("ORDER_TRADE_UPDATE", StringComparison.Ordinal));
        Assert.Contains("\"x\":\"CANCELED\"", first, StringComparison.Ordinal); // the NEW before it was lost
    }

    [Fact]
    public async Task UserDropFault_NextEvent_ConnectionAbortedAndTheOrderStillPlaced()
    {
        await using var rig = await StartAsync();
        var (host, client) = (rig.Host, rig.Client);
        using var ws = await client.UserStreamAsync();
        rig.Faults.Arm(PrivateFault.DropUserStream);
        var (status, _) = await rig.PostOnlyBuyAsync("dropped");
        Assert.Equal(200, status);

        Assert.Equal(0, await SimTestKit.DrainUntilClosedAsync(ws)); // aborted before the NEW event
        var (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal(1, open.GetArrayLength());

        // A new connection gets the later events; the trigger drops every open user stream at once.
        using var again = await client.UserStreamAsync();
        Assert.Equal(1, host.Context.Private!.DropUserStreams());
        Assert.NotEqual(WebSocketState.Open, await StateAfterCloseAsync(again));
    }

    private static async Task<WebSocketState> StateAfterCloseAsync(ClientWebSocket ws)
    {
        await SimTestKit.DrainUntilClosedAsync(ws);
        return ws.State;
    }

    /// <summary>A post-only buy of 0.001 BTCUSDT at <paramref name="bid"/> (it rests: the price is below the touch).</summary>
    private static string PostOnlyBuy(string bid, string clientId) =>
        $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bid}&newClientOrderId={clientId}";

    /// <summary>A stepped simulator with one account and its client; <see cref="Rig.Bid"/> is the fourth bid level.</summary>
    private static async Task<Rig> StartAsync()
    {
        var account = SimPrivateClient.Account();
        var host = await SimPrivateClient.StartAsync(null, account);
        var client = new SimPrivateClient(host, account);
        var bid = (await client.DepthAsync()).GetProperty("bids")[3][0].GetString()!;
        return new Rig(host, client, bid);
    }

    private sealed record Rig(Pipeline.Simulator.SimulatorHost Host, SimPrivateClient Client, string Bid) : IAsyncDisposable
    {
        public PrivateFaults Faults => Host.Context.Private!.Faults;

        public Task<(int Status, System.Text.Json.JsonElement Body)> PostOnlyBuyAsync(string clientId) => Client.OrderAsync(PostOnlyBuy(Bid, clientId));

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }
}
