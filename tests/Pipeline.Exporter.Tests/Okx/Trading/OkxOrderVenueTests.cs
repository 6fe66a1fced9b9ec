using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Exporter.Tests.Simulator.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Okx.Trading;

/// <summary>
/// <see cref="OkxOrderVenue"/> against the simulator's OKX private API over loopback. Numbers worked by hand from the book,
/// the generator's prints and BTC-USDT-SWAP's facts (ctVal 0.01 BTC, lot 0.01 contracts, tick 0.1; fees 0.02 % maker, 0.05 % taker).
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxOrderVenueTests
{
    private const string Inst = OkxPrivateClient.Inst;
    private static readonly CancellationToken None = CancellationToken.None;

    private static VenueOrderRequest Request(string id, VenueSide side, VenueOrderType type, decimal baseQty, decimal price, bool reduceOnly = false) =>
        new(Inst, id, side, type, baseQty, price, reduceOnly);

    [Fact]
    public async Task Dispose_Twice_SecondIsANoOp()
    {
        await using var kit = await OkxVenueKit.StartAsync(); // disposes the venue once more at the end
        await kit.Venue.DisposeAsync();
        await kit.Venue.DisposeAsync();
        Assert.Null(kit.Venue.Stream);
    }

    [Fact]
    public async Task PostOnly_TapeTradesThroughIt_FillEventAtTheLimitInBaseCoinAsMakerWithTheFee()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var limit = kit.Book().Bids[0].Px;
        var placedAt = kit.Host.Clock.NowMs;

        // 0.00025 BTC is 0.025 contracts: rounded down to the lot, 0.02 contracts = 0.0002 BTC.
        var placed = await kit.Venue.PlaceAsync(Request("plmaker1", VenueSide.Buy, VenueOrderType.PostOnly, 0.00025m, limit + 0.04m), None);
        Assert.Equal((VenueOrderStatus.New, limit, 0.0002m, "okx"), (placed.Status, placed.Price, placed.Quantity, kit.Venue.Venue));

        var through = new MarketGenerator(SimInstruments.Find(Inst), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < limit && p.SizeUnits >= 2);
        kit.Host.AdvanceTo(through.Ts);

        var fill = (await kit.WaitForAsync<VenueFillUpdate>(f => f.Fill.ClientOrderId == "plmaker1", "the maker fill")).Fill;
        var fee = Math.Round(limit * 0.0002m * 0.0002m, 8); // price × base qty × 0.02 %, as the wire carries it (8 decimals)
        Assert.Equal((limit, 0.0002m, true, fee, "USDT", VenueSide.Buy, through.Ts), (fill.Price, fill.Quantity, fill.Maker, fill.Fee, fill.FeeCcy, fill.Side, fill.Ts));
        Assert.Equal(placed.VenueOrderId, fill.VenueOrderId);
        var filled = await kit.WaitForAsync<VenueOrderUpdate>(u => u.Order.ClientOrderId == "plmaker1" && u.Order.Status == VenueOrderStatus.Filled, "the filled update");
        Assert.Equal((0.0002m, limit), (filled.Order.FilledQuantity, filled.Order.AveragePrice));
        var position = await kit.WaitForAsync<VenuePositionUpdate>(p => p.Position.Quantity != 0, "the position push");
        Assert.Equal((0.0002m, limit), (position.Position.Quantity, position.Position.EntryPrice));

        // The same fill from trade/fills, and the position from REST.
        var listed = Assert.Single(await kit.Venue.FillsAsync(Inst, placedAt, None));
        Assert.Equal(fill with { Ts = listed.Ts }, listed);
        Assert.Equal(through.Ts, listed.Ts);
        var rest = await kit.Venue.PositionAsync(Inst, None);
        Assert.Equal((0.0002m, limit), (rest.Quantity, rest.EntryPrice));
    }

    [Fact]
    public async Task PostOnly_WouldTake_CanceledWithThePostOnlyReasonAndNoPosition()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var ask = kit.Book().Asks[0].Px;

        var placed = await kit.Venue.PlaceAsync(Request("pltake1", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, ask), None);

        Assert.Equal(VenueOrderStatus.Canceled, placed.Status);
        Assert.Contains("post-only would take", placed.Reason, StringComparison.Ordinal);
        Assert.Equal(0m, placed.FilledQuantity);
        var pushed = await kit.WaitForAsync<VenueOrderUpdate>(u => u.Order.ClientOrderId == "pltake1", "the canceled push");
        Assert.Equal((VenueOrderStatus.Canceled, placed.Reason), (pushed.Order.Status, pushed.Order.Reason));
        Assert.Equal(0m, (await kit.Venue.PositionAsync(Inst, None)).Quantity);
    }

    [Fact]
    public async Task MarketReduceOnly_AfterAMarketEntry_FlatAtTheBidAsTakerAndAReduceOnlyWhenFlatRejected51169()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var (bids, asks) = kit.Book();
        Assert.True(asks[0].Sz >= 1 && bids[0].Sz >= 1, "the touch holds a contract on both sides");

        var entry = await kit.Venue.PlaceAsync(Request("plentry1", VenueSide.Buy, VenueOrderType.Market, 0.01m, asks[0].Px), None);
        Assert.Equal((VenueOrderStatus.Filled, 0.01m, asks[0].Px, VenueOrderType.Market), (entry.Status, entry.FilledQuantity, entry.AveragePrice, entry.Type));
        Assert.Equal(0.01m, (await kit.Venue.PositionAsync(Inst, None)).Quantity);

        var exit = await kit.Venue.PlaceAsync(Request("plexit1", VenueSide.Sell, VenueOrderType.Market, 0.01m, bids[0].Px, reduceOnly: true), None);
        Assert.Equal((VenueOrderStatus.Filled, 0.01m, bids[0].Px), (exit.Status, exit.FilledQuantity, exit.AveragePrice));
        var exitFill = (await kit.WaitForAsync<VenueFillUpdate>(f => f.Fill.ClientOrderId == "plexit1", "the exit fill")).Fill;
        Assert.Equal((false, Math.Round(bids[0].Px * 0.01m * 0.0005m, 8)), (exitFill.Maker, exitFill.Fee));
        Assert.Equal(0m, (await kit.Venue.PositionAsync(Inst, None)).Quantity);

        var refused = await Assert.ThrowsAsync<VenueException>(() =>
            kit.Venue.PlaceAsync(Request("plexit2", VenueSide.Sell, VenueOrderType.Market, 0.01m, bids[0].Px, reduceOnly: true), None));
        Assert.Equal((VenueErrorKind.Rejected, "51169"), (refused.Kind, refused.Code));
        Assert.Contains("don't have any positions", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_RestingPostOnly_CanceledByTheUserThenNullWhenNoLongerOpen()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var deep = kit.Book().Bids[^1].Px - 100m;
        await kit.Venue.PlaceAsync(Request("plrest1", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, deep), None);
        Assert.Equal("plrest1", Assert.Single(await kit.Venue.OpenOrdersAsync(Inst, None)).ClientOrderId);

        var canceled = await kit.Venue.CancelAsync(Inst, "plrest1", None);

        Assert.Equal((VenueOrderStatus.Canceled, "canceled by the user (okx cancelSource 1)"), (canceled!.Status, canceled.Reason));
        Assert.Empty(await kit.Venue.OpenOrdersAsync(Inst, None));
        Assert.Null(await kit.Venue.CancelAsync(Inst, "plrest1", None));
    }

    [Fact]
    public async Task Query_UnknownClientOrderId_Null()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        Assert.Null(await kit.Venue.QueryAsync(Inst, "plnever1", None));
    }

    [Theory]
    [InlineData("wrong-passphrase", null, "50105")]
    [InlineData(null, "not-a-known-key", "50111")]
    public async Task Connect_BadPassphraseOrKey_AuthInOneLineAfterOneSignedRequestNeverRetried(string? passphrase, string? key, string code)
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        await using var kit = await OkxVenueKit.ForAsync(host, account, connect: false, passphrase: passphrase, key: key);

        var e = await Assert.ThrowsAsync<VenueException>(() => kit.Venue.ConnectAsync([Inst], None));

        Assert.Equal((VenueErrorKind.Auth, code), (e.Kind, e.Code));
        Assert.Single(kit.Requests.Signed);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("not retrying", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Secret, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(passphrase ?? account.Passphrase, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Context.Private!.Accounts.Single().ListenerCount); // no private socket either
    }

    [Fact]
    public async Task Place_AckLost_UnknownAndQueryFindsExactlyOneOrder()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var deep = kit.Book().Bids[^1].Px - 100m;
        kit.Exchange.Faults.Arm(PrivateFault.AckLost);

        var e = await Assert.ThrowsAsync<VenueException>(() => kit.Venue.PlaceAsync(Request("pllost1", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, deep), None));

        Assert.Equal(VenueErrorKind.Unknown, e.Kind);
        Assert.Single(kit.Requests.Sent, r => r.Method == "POST" && r.PathAndQuery == OkxOrderClient.OrderPath); // never resent
        var found = await kit.Venue.QueryAsync(Inst, "pllost1", None);
        Assert.Equal((VenueOrderStatus.New, deep, 0.01m), (found!.Status, found.Price, found.Quantity));
        Assert.Equal("pllost1", Assert.Single(await kit.Venue.OpenOrdersAsync(Inst, None)).ClientOrderId);
    }

    [Fact]
    public async Task Fills_MoreThanOnePage_EveryFillOnceOldestFirstPagedByBillId()
    {
        await using var kit = await OkxVenueKit.StartAsync(fillsPage: 2);
        var startMs = kit.Host.Clock.NowMs;
        var (bids, asks) = kit.Book();
        var px = asks[0].Px;
        await kit.Venue.PlaceAsync(Request("plf1", VenueSide.Buy, VenueOrderType.Market, 0.01m, px), None);
        await kit.Venue.PlaceAsync(Request("plf2", VenueSide.Sell, VenueOrderType.Market, 0.01m, bids[0].Px), None);
        await kit.Venue.PlaceAsync(Request("plf3", VenueSide.Buy, VenueOrderType.Market, 0.01m, px), None);
        await kit.Venue.PlaceAsync(Request("plf4", VenueSide.Sell, VenueOrderType.Market, 0.01m, bids[0].Px), None);
        var truth = kit.Exchange.Fills(kit.Exchange.Accounts.Single(), Inst, startMs);
        Assert.True(truth.Count >= 4);

        var fills = await kit.Venue.FillsAsync(Inst, startMs, None);

        Assert.Equal(truth.Select(t => (t.Fill.TradeId.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Order.ClientOrderId, t.Fill.Price, t.Fill.Quantity * 0.01m, t.Fill.Fee)),
            fills.Select(f => (f.TradeId, f.ClientOrderId, f.Price, f.Quantity, f.Fee)));
        var pages = kit.Requests.Signed.Where(r => r.PathAndQuery.StartsWith(OkxOrderClient.FillsPath + "?", StringComparison.Ordinal)).ToList();
        Assert.Equal(truth.Count / 2 + 1, pages.Count);
        Assert.All(pages.Skip(1), p => Assert.Contains("&after=", p.PathAndQuery, StringComparison.Ordinal));
        Assert.Empty(await kit.Venue.FillsAsync(Inst, truth[^1].Fill.Ts + 1, None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Demo_Setting_SimulatedTradingHeaderOnEverySignedRequestOnlyWhenDemo(bool demo)
    {
        await using var kit = await OkxVenueKit.StartAsync(demo: demo);
        await kit.Venue.QueryAsync(Inst, "plnever2", None);

        Assert.NotEmpty(kit.Requests.Signed);
        Assert.All(kit.Requests.Signed, r => Assert.Equal(demo, r.Demo));
    }

    [Fact]
    public async Task Connect_InverseSwap_RefusedNamingTheContractType()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Instruments = [Inst, "BTC-USD-SWAP"], Rate = 20, Seed = 5, Start = SimTestKit.PastStart, Stepped = true, Micro = true, Accounts = [account],
        });
        await using var kit = await OkxVenueKit.ForAsync(host, account, connect: false);

        var e = await Assert.ThrowsAsync<VenueException>(() => kit.Venue.ConnectAsync(["BTC-USD-SWAP"], None));

        Assert.Equal(VenueErrorKind.Rejected, e.Kind);
        Assert.Contains("BTC-USD-SWAP is an inverse contract", e.Message, StringComparison.Ordinal);
        Assert.Empty(kit.Requests.Signed);
    }

    [Fact]
    public async Task Place_BelowTheLot_RefusedBeforeSending()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var before = kit.Requests.Sent.Count;

        var e = await Assert.ThrowsAsync<VenueException>(() => kit.Venue.PlaceAsync(Request("pltiny1", VenueSide.Buy, VenueOrderType.Market, 0.00009m, 90_000m), None));

        Assert.Equal(VenueErrorKind.Rejected, e.Kind);
        Assert.Contains("below minSz", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, kit.Requests.Sent.Count);
    }

    [Fact]
    public async Task Signed_OkxClockMovedAMinute_50102ResyncedOnceAndRetried()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        kit.Host.AdvanceTo(kit.Host.Clock.NowMs + 60_000);
        var before = kit.Requests.Sent.Count;

        Assert.Null(await kit.Venue.QueryAsync(Inst, "plnever3", CancellationToken.None));

        var sent = kit.Requests.Sent.Skip(before).Select(r => r.PathAndQuery.Split('?')[0]).ToList();
        Assert.Equal([OkxOrderClient.OrderPath, OkxOrderClient.TimePath, OkxOrderClient.OrderPath], sent);
    }

    [Fact]
    public async Task Place_OverTheAccountsOrderRateLimit_RateLimitedNotRejected()
    {
        var account = OkxPrivateClient.Account() with { OrderLimits = [new SimRateLimit(1, TimeSpan.FromMinutes(10))] };
        await using var host = await OkxPrivateClient.StartAsync(account);
        await using var kit = await OkxVenueKit.ForAsync(host, account);
        var deep = kit.Book().Bids[^1].Px - 100m;
        await kit.Venue.PlaceAsync(Request("plrate1", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, deep), None);

        var e = await Assert.ThrowsAsync<VenueException>(() => kit.Venue.PlaceAsync(Request("plrate2", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, deep), None));

        Assert.Equal((VenueErrorKind.RateLimited, "50011"), (e.Kind, e.Code));
        Assert.Null(await kit.Venue.QueryAsync(Inst, "plrate2", None));
    }

    [Fact]
    public async Task Place_MarketUnderThePartialFillFault_ExpiredWithTheFilledHalfAndTheRemainderReason()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var (_, asks) = kit.Book();
        Assert.True(asks[0].Sz >= 2, "two contracts at the touch");
        kit.Exchange.Faults.Arm(PrivateFault.PartialFill);

        var order = await kit.Venue.PlaceAsync(Request("plpart1", VenueSide.Buy, VenueOrderType.Market, 0.02m, asks[0].Px), None);

        // Half of 2 contracts = 1 contract = 0.01 BTC filled at the ask; the rest of the market order expires (cancelSource 14).
        Assert.Equal((VenueOrderStatus.Expired, 0.02m, 0.01m, asks[0].Px), (order.Status, order.Quantity, order.FilledQuantity, order.AveragePrice));
        Assert.Equal("IOC/market remainder canceled (okx cancelSource 14)", order.Reason);
        var fill = (await kit.WaitForAsync<VenueFillUpdate>(f => f.Fill.ClientOrderId == "plpart1", "the partial fill")).Fill;
        Assert.Equal((0.01m, asks[0].Px, false), (fill.Quantity, fill.Price, fill.Maker));
        Assert.Equal(0.01m, (await kit.Venue.PositionAsync(Inst, None)).Quantity);
    }

    [Fact]
    public async Task Place_IocBuyOffTheTick_RoundedUpTowardsTheBookAndFilledAtTheTouch()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var a0 = kit.Book().Asks[0].Px;

        var order = await kit.Venue.PlaceAsync(Request("plioc1", VenueSide.Buy, VenueOrderType.Ioc, 0.01m, a0 - 0.06m), None);

        // a0 − 0.06 rounded up to the 0.1 tick is a0 − 0.0 (a0 is on the tick): the worst price still reaches the ask.
        Assert.Equal((VenueOrderStatus.Filled, a0, 0.01m, a0), (order.Status, order.Price, order.FilledQuantity, order.AveragePrice));
    }
}
