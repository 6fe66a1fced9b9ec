using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Exporter.Tests.Simulator.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Binance.Trading;

/// <summary>
/// The Binance USD-M order venue against the simulator's private API over loopback: a stepped market (the tape moves only
/// when a test advances it) and a fake local clock for the venue (keep-alives and backoff never wait on the wall clock).
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BinanceOrderVenueTests
{
    private const string Symbol = "BTCUSDT";

    /// <summary>The venue's local clock: two months off the simulator's, so every signed request depends on the measured offset.</summary>
    private static readonly DateTimeOffset LocalStart = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task PostOnly_TapeTradesThroughIt_RestsThenMakerFillEventWithPriceQtyFee()
    {
        await using var rig = await Rig.StartAsync();
        var bid = await rig.BestAsync("bids", 0);
        var placedAt = rig.Host.Clock.NowMs;
        var placed = await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-entry-1", VenueSide.Buy, VenueOrderType.PostOnly, 0.0029m, bid, false), CancellationToken.None);
        Assert.Equal((VenueOrderStatus.New, VenueOrderType.PostOnly, bid, 0.002m, "pv-entry-1"), (placed.Status, placed.Type, placed.Price, placed.Quantity, placed.ClientOrderId));
        Assert.Equal(VenueOrderStatus.New, (await rig.NextAsync<VenueOrderUpdate>()).Order.Status);

        // Independently of the venue: the first taker sell printed strictly below the limit after placement fills it.
        var through = new MarketGenerator(SimInstruments.Find(Symbol), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < bid);
        rig.Host.AdvanceTo(through.Ts);

        var update = await rig.NextAsync<VenueOrderUpdate>();
        Assert.Equal((VenueOrderStatus.Filled, 0.002m, bid, placed.VenueOrderId), (update.Order.Status, update.Order.FilledQuantity, update.Order.AveragePrice, update.Order.VenueOrderId));
        var fill = (await rig.NextAsync<VenueFillUpdate>()).Fill;
        Assert.Equal((Symbol, "pv-entry-1", VenueSide.Buy, bid, 0.002m, true, "USDT", through.Ts), (fill.InstId, fill.ClientOrderId, fill.Side, fill.Price, fill.Quantity, fill.Maker, fill.FeeCcy, fill.Ts));
        Assert.Equal(bid * 0.002m * 0.0002m, fill.Fee); // maker 0.02 % of the notional, worked by hand
        var position = (await rig.NextAsync<VenuePositionUpdate>()).Position;
        Assert.Equal((Symbol, 0.002m, bid), (position.InstId, position.Quantity, position.EntryPrice));

        var rest = await rig.Venue.PositionAsync(Symbol, CancellationToken.None);
        Assert.Equal((0.002m, bid), (rest.Quantity, rest.EntryPrice));
        var history = Assert.Single(await rig.Venue.FillsAsync(Symbol, placedAt, CancellationToken.None));
        Assert.Equal(fill, history); // the same fill from userTrades as from the stream
    }

    [Fact]
    public async Task PostOnly_PartialFillFault_PartiallyFilledEventsThenCancelKeepsTheFilledPart()
    {
        await using var rig = await Rig.StartAsync();
        var bid = await rig.BestAsync("bids", 0);
        var placedAt = rig.Host.Clock.NowMs;
        await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-part", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, bid, false), CancellationToken.None);
        rig.Host.Context.Private!.Faults.Arm(PrivateFault.PartialFill);
        var through = new MarketGenerator(SimInstruments.Find(Symbol), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < bid);
        rig.Host.AdvanceTo(through.Ts);

        var update = await rig.NextAsync<VenueOrderUpdate>(u => u.Order.FilledQuantity > 0);
        Assert.Equal((VenueOrderStatus.PartiallyFilled, 0.001m, 0.002m, true), (update.Order.Status, update.Order.FilledQuantity, update.Order.Quantity, update.Order.IsOpen));
        Assert.Equal(0.001m, (await rig.NextAsync<VenueFillUpdate>()).Fill.Quantity); // half of what was left, on the step
        Assert.Equal(0.001m, (await rig.NextAsync<VenuePositionUpdate>()).Position.Quantity);

        var canceled = await rig.Venue.CancelAsync(Symbol, "pv-part", CancellationToken.None);
        Assert.Equal((VenueOrderStatus.Canceled, 0.001m), (canceled!.Status, canceled.FilledQuantity));
        Assert.Equal(0.001m, (await rig.Venue.PositionAsync(Symbol, CancellationToken.None)).Quantity);
    }

    [Fact]
    public async Task MarketReduceOnlyExit_AfterAnEntry_FilledAsTakerAndFlat_ReduceOnlyWhenFlatRejected()
    {
        await using var rig = await Rig.StartAsync();
        var ask = await rig.BestAsync("asks", 0);
        var entry = await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-mkt-in", VenueSide.Buy, VenueOrderType.Market, 0.002m, ask, false), CancellationToken.None);
        Assert.Equal((VenueOrderStatus.Filled, VenueOrderType.Market, 0.002m), (entry.Status, entry.Type, entry.FilledQuantity));
        Assert.Equal(0.002m, (await rig.Venue.PositionAsync(Symbol, CancellationToken.None)).Quantity);

        var exit = await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-mkt-out", VenueSide.Sell, VenueOrderType.Market, 0.002m, ask, true), CancellationToken.None);
        Assert.Equal((VenueOrderStatus.Filled, 0.002m), (exit.Status, exit.FilledQuantity));
        var flat = await rig.Venue.PositionAsync(Symbol, CancellationToken.None);
        Assert.Equal((0m, 0m), (flat.Quantity, flat.EntryPrice));
        var exitFill = (await rig.NextAsync<VenueFillUpdate>(f => f.Fill.ClientOrderId == "pv-mkt-out")).Fill;
        Assert.False(exitFill.Maker);
        Assert.Equal(exitFill.Price * exitFill.Quantity * 0.0005m, exitFill.Fee); // taker 0.05 %

        var e = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-mkt-again", VenueSide.Sell, VenueOrderType.Market, 0.002m, ask, true), CancellationToken.None));
        Assert.Equal((VenueErrorKind.Rejected, "-2022"), (e.Kind, e.Code));
        Assert.StartsWith("reduce-only refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostOnly_WouldCross_RejectedWithReasonAndNothingRecorded()
    {
        await using var rig = await Rig.StartAsync();
        var ask = await rig.BestAsync("asks", 0);
        var e = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-cross", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, ask, false), CancellationToken.None));
        Assert.Equal((VenueErrorKind.Rejected, "-5022"), (e.Kind, e.Code));
        Assert.StartsWith("post-only would take (pv-cross): binance POST /fapi/v1/order: -5022 ", e.Message, StringComparison.Ordinal);
        Assert.Null(await rig.Venue.QueryAsync(Symbol, "pv-cross", CancellationToken.None));
    }

    [Fact]
    public async Task Cancel_RestingOrder_CanceledThenSecondCancelNull_QueryUnknownNull()
    {
        await using var rig = await Rig.StartAsync();
        var deep = await rig.BestAsync("bids", 3);
        await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-cxl", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None);
        Assert.Single(await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None), o => o.ClientOrderId == "pv-cxl" && o.IsOpen);

        var canceled = await rig.Venue.CancelAsync(Symbol, "pv-cxl", CancellationToken.None);
        Assert.Equal((VenueOrderStatus.Canceled, "pv-cxl"), (canceled!.Status, canceled.ClientOrderId));
        Assert.Null(await rig.Venue.CancelAsync(Symbol, "pv-cxl", CancellationToken.None));
        Assert.Empty(await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None));
        Assert.Equal(VenueOrderStatus.Canceled, (await rig.Venue.QueryAsync(Symbol, "pv-cxl", CancellationToken.None))!.Status);
        Assert.Null(await rig.Venue.QueryAsync(Symbol, "pv-never-sent", CancellationToken.None));
    }

    [Fact]
    public async Task Connect_UnknownKey_AuthOneLineExactlyOneSignedRequestNoStream()
    {
        await using var rig = await Rig.StartAsync(key: "nobody-key-0123456789abcdef", connect: false);
        var e = await Assert.ThrowsAsync<VenueException>(() => rig.Venue.ConnectAsync([Symbol], CancellationToken.None));
        Assert.Equal((VenueErrorKind.Auth, "-2015"), (e.Kind, e.Code));
        Assert.StartsWith("binance rejected the API key (-2015 Invalid API-key, IP, or permissions for action.)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("nobody-key", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.PositionRiskPath)); // not retried
        Assert.Equal(0, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.ListenKeyPath));
    }

    [Fact]
    public async Task Connect_WrongSecret_AuthOnTheFirstSignedRequest_PlaceAlsoAuthNotRetried()
    {
        await using var rig = await Rig.StartAsync(secret: "wrong-secret-not-alice-000", connect: false);
        var e = await Assert.ThrowsAsync<VenueException>(() => rig.Venue.ConnectAsync([Symbol], CancellationToken.None));
        Assert.Equal((VenueErrorKind.Auth, "-1022"), (e.Kind, e.Code));
        Assert.Contains("not retrying", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", e.Message, StringComparison.Ordinal);

        var deep = await rig.BestAsync("bids", 3);
        var place = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-bad", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None));
        Assert.Equal(VenueErrorKind.Auth, place.Kind);
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.OrderPath));
    }

    [Fact]
    public async Task AckLost_PlaceUnknown_QueryFindsExactlyOneOrder()
    {
        await using var rig = await Rig.StartAsync();
        var deep = await rig.BestAsync("bids", 3);
        rig.Host.Context.Private!.Faults.Arm(PrivateFault.AckLost);
        var e = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-lost", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None));
        Assert.Equal((VenueErrorKind.Unknown, "-1007"), (e.Kind, e.Code));
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.OrderPath)); // never resent

        var found = await rig.Venue.QueryAsync(Symbol, "pv-lost", CancellationToken.None);
        Assert.Equal((VenueOrderStatus.New, deep, 0.002m), (found!.Status, found.Price, found.Quantity));
        Assert.Single(await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None), o => o.ClientOrderId == "pv-lost");

        // Sending the same id again is refused by the exchange (-4116) and surfaces as Unknown: query, never a second order.
        var again = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-lost", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None));
        Assert.Equal((VenueErrorKind.Unknown, "-4116"), (again.Kind, again.Code));
        Assert.Single(await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None));
    }

    [Fact]
    public async Task UserStreamDropped_StreamGapWrittenThenEventsResume()
    {
        await using var rig = await Rig.StartAsync();
        var before = rig.Venue.Reconnects;
        Assert.Equal(1, rig.Host.Context.Private!.DropUserStreams());

        var gap = await rig.NextAsync<VenueStreamGap>();
        Assert.Equal("user data stream dropped", gap.Reason);
        Assert.InRange(gap.SinceMs, rig.Host.Clock.NowMs - 60_000, rig.Host.Clock.NowMs + 60_000); // server time, not the local clock two months off
        Assert.Equal(before + 1, rig.Venue.Reconnects);
        await rig.SubscribedAsync();

        var deep = await rig.BestAsync("bids", 3);
        await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-after-gap", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None);
        var update = await rig.NextAsync<VenueOrderUpdate>();
        Assert.Equal(("pv-after-gap", VenueOrderStatus.New), (update.Order.ClientOrderId, update.Order.Status));
    }

    [Fact]
    public async Task UserStream_FrameNotJson_SkippedAndTheNextEventStillRead()
    {
        // The simulator sends only good frames: the user stream here is a loopback server that sends one bad frame, then a good one.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/private/ws/{key}", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            foreach (var frame in new[] { "<html>502 Bad Gateway</html>", OrderUpdateFrame })
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, http.RequestAborted);
            }

            var buffer = new byte[256];
            while (!(await socket.ReceiveAsync(buffer, http.RequestAborted)).CloseStatus.HasValue)
            {
                // Held open until the venue closes it.
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await using var rig = await Rig.StartAsync(connect: false);
        await using var venue = rig.NewVenue(rig.Options.FillsPageSize, userStream: new UriBuilder(address) { Scheme = "ws" }.Uri);
        await venue.ConnectAsync([Symbol], CancellationToken.None);

        using var bound = new CancellationTokenSource(SimTestKit.Bound);
        var update = Assert.IsType<VenueOrderUpdate>(await venue.Events.ReadAsync(bound.Token)); // the bad frame ended the stream's loop before
        Assert.Equal(("x1", VenueOrderStatus.PartiallyFilled), (update.Order.ClientOrderId, update.Order.Status));
    }

    private const string OrderUpdateFrame = """
        {"e":"ORDER_TRADE_UPDATE","E":2,"T":1,"o":{"s":"BTCUSDT","c":"x1","S":"SELL","o":"LIMIT","f":"GTX","q":"0.002","p":"65000.1","ap":"65000.1","x":"TRADE","X":"PARTIALLY_FILLED","i":7,"l":"0.001","z":"0.001","L":"65000.1","n":"0.01","N":"USDT","m":true,"t":9,"rp":"0"}}
        """;

    [Fact]
    public async Task ListenKeyClosed_StreamEnds_ReconnectsWithANewKeyAndWritesGap()
    {
        await using var rig = await Rig.StartAsync();
        using (var sim = new SimPrivateClient(rig.Host, rig.Account))
        {
            Assert.Equal(200, (await sim.SendAsync(HttpMethod.Delete, BinanceOrderClient.ListenKeyPath, "")).Status); // the key is gone
        }

        await rig.NextAsync<VenueStreamGap>();
        await rig.SubscribedAsync();
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.ListenKeyPath)); // connect + one new key
    }

    [Fact]
    public async Task KeepAlive_FakeClock_OnePutPerIntervalNoneBefore()
    {
        await using var rig = await Rig.StartAsync();
        var interval = rig.Options.KeepAlive;
        rig.Local.Advance(interval - TimeSpan.FromSeconds(1));
        await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None); // a round trip through the same client: an early PUT would have been seen
        Assert.Equal(0, rig.Counter.Count(HttpMethod.Put, BinanceOrderClient.ListenKeyPath));

        rig.Local.Advance(TimeSpan.FromSeconds(1));
        await Waits.UntilAsync(() => rig.Venue.KeepAlivesSent == 1, SimTestKit.Bound, "the first keep-alive");
        rig.Local.Advance(interval - TimeSpan.FromSeconds(1));
        await rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None);
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Put, BinanceOrderClient.ListenKeyPath));

        rig.Local.Advance(TimeSpan.FromSeconds(1));
        await Waits.UntilAsync(() => rig.Venue.KeepAlivesSent == 2, SimTestKit.Bound, "the second keep-alive");
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Put, BinanceOrderClient.ListenKeyPath));
    }

    [Fact]
    public async Task KeepAlive_KeyGone1125_StreamRenewedAndGapNamesIt()
    {
        await using var rig = await Rig.StartAsync();
        // The exchange's answer once the key lapsed (the simulator's PUT gives the same).
        rig.Counter.AnswerNext(HttpMethod.Put, BinanceOrderClient.ListenKeyPath, HttpStatusCode.BadRequest, """{"code":-1125,"msg":"This listenKey does not exist."}""");
        rig.Local.Advance(rig.Options.KeepAlive);

        var gap = await rig.NextAsync<VenueStreamGap>();
        Assert.Equal("listen key expired (-1125 on keep-alive)", gap.Reason);
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.ListenKeyPath)); // connect + the renewal
        await rig.SubscribedAsync();
        var deep = await rig.BestAsync("bids", 3);
        await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-renewed", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None);
        Assert.Equal("pv-renewed", (await rig.NextAsync<VenueOrderUpdate>()).Order.ClientOrderId);
    }

    [Fact]
    public async Task Fills_PagedByFromIdOnAFreshVenue_EveryFillOnceWithItsClientId()
    {
        await using var rig = await Rig.StartAsync();
        var since = rig.Host.Clock.NowMs;
        var ask = await rig.BestAsync("asks", 0);
        for (var i = 0; i < 3; i++)
        {
            await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, $"pv-f{i}b", VenueSide.Buy, VenueOrderType.Market, 0.002m, ask, false), CancellationToken.None);
            await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, $"pv-f{i}s", VenueSide.Sell, VenueOrderType.Market, 0.002m, ask, true), CancellationToken.None);
        }

        var account = rig.Host.Context.Private!.Accounts.Single();
        var truth = rig.Host.Context.Private.Fills(account, Symbol, since);
        Assert.True(truth.Count >= 6, "every market order filled at least once");

        // A venue that never saw these orders (a restart): client ids come from GET /fapi/v1/order?orderId=, once per order.
        await using var fresh = rig.NewVenue(pageSize: 2);
        var fills = await fresh.FillsAsync(Symbol, since, CancellationToken.None);
        Assert.Equal(truth.Select(t => t.Fill.TradeId.ToString(CultureInfo.InvariantCulture)), fills.Select(f => f.TradeId));
        Assert.Equal(truth.Select(t => t.Order.ClientOrderId), fills.Select(f => f.ClientOrderId));
        Assert.Equal(truth.Select(t => (t.Fill.Price, t.Fill.Quantity, t.Fill.Fee)), fills.Select(f => (f.Price, f.Quantity, f.Fee)));
        Assert.Equal((truth.Count / 2) + 1, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.UserTradesPath)); // pages of 2 then a short (or empty) one
        Assert.Equal(6, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.OrderPath));
        Assert.Empty(await fresh.FillsAsync(Symbol, rig.Host.Clock.NowMs + 1, CancellationToken.None));
    }

    [Fact]
    public async Task RememberedOrders_MoreOrdersThanTheBound_StartsAfreshNeverGrowsPastIt()
    {
        await using var rig = await Rig.StartAsync();
        await using var venue = rig.NewVenue(rig.Options.FillsPageSize, maxRememberedOrders: 2); // no stream: only the acknowledgements are remembered
        var deep = await rig.BestAsync("bids", 3);
        var counts = new List<int>();
        foreach (var id in new[] { "pv-mem-1", "pv-mem-2", "pv-mem-3" })
        {
            await venue.PlaceAsync(new VenueOrderRequest(Symbol, id, VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None);
            counts.Add(venue.RememberedOrders);
        }

        Assert.Equal([1, 2, 1], counts); // the third found the memory full and started afresh
    }

    [Fact]
    public async Task GatewayError_5xxWithoutCode_ReadUnavailable_OrderUnknown()
    {
        await using var rig = await Rig.StartAsync();
        rig.Counter.AnswerNext(HttpMethod.Get, BinanceOrderClient.OpenOrdersPath, HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>");
        var read = await Assert.ThrowsAsync<VenueException>(() => rig.Venue.OpenOrdersAsync(Symbol, CancellationToken.None));
        Assert.Equal((VenueErrorKind.Unavailable, null), (read.Kind, read.Code));

        var deep = await rig.BestAsync("bids", 3);
        rig.Counter.AnswerNext(HttpMethod.Post, BinanceOrderClient.OrderPath, HttpStatusCode.ServiceUnavailable, "<html>503</html>");
        var order = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-5xx", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None));
        Assert.Equal(VenueErrorKind.Unknown, order.Kind); // the gateway may have forwarded it: query, never resend
        Assert.Contains("pv-5xx", order.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderRateLimit_RateLimitedWithRetryAfter()
    {
        await using var rig = await Rig.StartAsync(limits: [new SimRateLimit(1, TimeSpan.FromSeconds(10))]);
        var deep = await rig.BestAsync("bids", 3);
        await rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-rl-1", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None);
        var e = await Assert.ThrowsAsync<VenueException>(() =>
            rig.Venue.PlaceAsync(new VenueOrderRequest(Symbol, "pv-rl-2", VenueSide.Buy, VenueOrderType.PostOnly, 0.002m, deep, false), CancellationToken.None));
        Assert.Equal((VenueErrorKind.RateLimited, "-1015", TimeSpan.FromSeconds(10)), (e.Kind, e.Code, e.RetryAfter));
    }

    [Fact]
    public async Task Connect_NothingListening_UnavailableNotAuth()
    {
        var options = new BinanceVenueOptions { Rest = new Uri("http://127.0.0.1:1"), UserStream = new Uri("ws://127.0.0.1:1") };
        await using var venue = new BinanceOrderVenue(options, ApiCredentials.Create(TradingVenues.Binance, "some-key-0123456789", "some-secret", null, "test"),
            new FakeTimeProvider(LocalStart));
        var e = await Assert.ThrowsAsync<VenueException>(() => venue.ConnectAsync([Symbol], CancellationToken.None));
        Assert.Equal(VenueErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public void AccountUpdate_PositionsParsedFromTheDocumentedFields()
    {
        Assert.True(BinanceUserDataClient.TryParseAccountUpdate(
            """{"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER","B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],"P":[{"s":"BTCUSDT","pa":"-0.010","ep":"375.74000","bep":"0","cr":"-0.19160000","up":"0.00149","mt":"cross","iw":"0","ps":"BOTH"}]}}"""u8,
            out var update));
        Assert.Equal((1564745798939L, 1564745798938L, "ORDER"), (update.EventTimeMs, update.TransactionTimeMs, update.Reason));
        Assert.Equal(new BinanceAccountPosition("BTCUSDT", -0.010m, 375.74m, 0.00149m, "BOTH"), Assert.Single(update.Positions));
        Assert.False(BinanceUserDataClient.TryParseAccountUpdate("""{"e":"ORDER_TRADE_UPDATE","E":1,"o":{}}"""u8, out _));
        Assert.True(BinanceUserDataClient.IsListenKeyExpired("""{"e":"listenKeyExpired","E":1576653824250,"listenKey":"WsCMN0a4K"}"""u8));
        Assert.False(BinanceUserDataClient.IsListenKeyExpired("""{"e":"ACCOUNT_UPDATE"}"""u8));
    }

    [Theory]
    [InlineData("/private/ws/", "wss://fstream.binance.com/private/ws/k%2B1")]
    [InlineData("private/ws", "wss://fstream.binance.com/private/ws/k%2B1")]
    [InlineData("/ws/", "wss://fstream.binance.com/ws/k%2B1")]
    [InlineData("/private/ws?listenKey={listenKey}&events=ORDER_TRADE_UPDATE", "wss://fstream.binance.com/private/ws?listenKey=k%2B1&events=ORDER_TRADE_UPDATE")]
    public void StreamUri_PathOrPlaceholder_KeyEscapedInPlace(string path, string expected) =>
        Assert.Equal(expected, BinanceUserDataClient.StreamUri(BinanceVenueOptions.ProductionUserStream, path, "k+1").AbsoluteUri);

    /// <summary>A simulator with account alice and a connected venue on a fake local clock, counting its requests.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly ApiCredentials _credentials;

        private Rig(SimulatorHost host, SimAccountSpec account, FakeTimeProvider local, BinanceRequestCounter counter, HttpClient http, ApiCredentials credentials, BinanceVenueOptions options)
        {
            (Host, Account, Local, Counter, _http, _credentials, Options) = (host, account, local, counter, http, credentials, options);
            Venue = new BinanceOrderVenue(options, credentials, local, http);
        }

        public SimulatorHost Host { get; }

        public SimAccountSpec Account { get; }

        public FakeTimeProvider Local { get; }

        public BinanceRequestCounter Counter { get; }

        public BinanceVenueOptions Options { get; }

        public BinanceOrderVenue Venue { get; }

        public static async Task<Rig> StartAsync(string? key = null, string? secret = null, bool connect = true, IReadOnlyList<SimRateLimit>? limits = null)
        {
            var account = SimPrivateClient.Account(limits: limits);
            var host = await SimPrivateClient.StartAsync(null, account);
            var local = new FakeTimeProvider(LocalStart);
            var counter = new BinanceRequestCounter { InnerHandler = new SocketsHttpHandler() };
            var http = new HttpClient(counter) { Timeout = SimTestKit.Bound };
            var credentials = ApiCredentials.Create(TradingVenues.Binance, key ?? account.ApiKey, secret ?? account.Secret, null, "test");
            var options = new BinanceVenueOptions { Rest = host.Endpoints.BinanceRest, UserStream = host.Endpoints.BinanceWs, Testnet = true };
            var rig = new Rig(host, account, local, counter, http, credentials, options);
            if (connect)
            {
                await rig.Venue.ConnectAsync([Symbol], CancellationToken.None);
                await rig.SubscribedAsync();
            }

            return rig;
        }

        /// <summary>Another venue on the same account and client (a restart: it has seen none of the orders).</summary>
        public BinanceOrderVenue NewVenue(int pageSize, int maxRememberedOrders = 50_000, Uri? userStream = null) =>
            new(Options with { FillsPageSize = pageSize, UserStream = userStream ?? Options.UserStream }, _credentials, Local, _http) { MaxRememberedOrders = maxRememberedOrders };

        /// <summary>Waits until the simulator has subscribed the venue's user stream (the upgrade completes before the subscription).</summary>
        public async Task SubscribedAsync() =>
            await Waits.UntilAsync(() => Host.Context.Private!.Accounts.Any(a => a.ListenerCount > 0), SimTestKit.Bound, "the user stream subscribed");

        /// <summary>The next event of type <typeparamref name="T"/> (matching <paramref name="match"/>), skipping others; bounded.</summary>
        public async Task<T> NextAsync<T>(Func<T, bool>? match = null)
            where T : VenueEvent
        {
            using var bound = new CancellationTokenSource(SimTestKit.Bound);
            while (true)
            {
                var e = await Venue.Events.ReadAsync(bound.Token);
                if (e is T t && (match is null || match(t)))
                {
                    return t;
                }
            }
        }

        /// <summary>The price of level <paramref name="level"/> of the public depth's bids or asks now.</summary>
        public async Task<decimal> BestAsync(string side, int level)
        {
            using var sim = new SimPrivateClient(Host, Account);
            var depth = await sim.DepthAsync();
            return decimal.Parse(depth.GetProperty(side)[level][0].GetString()!, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await Venue.DisposeAsync();
            _http.Dispose();
            await Host.DisposeAsync();
        }
    }
}
