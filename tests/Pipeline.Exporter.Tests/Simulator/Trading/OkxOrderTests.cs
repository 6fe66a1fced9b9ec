using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>
/// OKX orders against the simulated book and tape over loopback HTTP, checked against independent numbers (the book, the
/// generator's prints, fees and PnL worked by hand from ctVal: BTC-USDT-SWAP is 0.01 BTC per contract).
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxOrderTests
{
    private const decimal CtVal = 0.01m;

    private static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    private static string S(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>The book now, in prices and contracts (the book the private API matches against).</summary>
    private static (List<(decimal Px, decimal Sz)> Bids, List<(decimal Px, decimal Sz)> Asks) Book(SimulatorHost host)
    {
        var book = host.Context.Micro!.Read(OkxPrivateClient.Inst, e => e.Current());
        return ([.. book.Bids.Select(l => (l.Px / 10m, l.Sz / 100m))], [.. book.Asks.Select(l => (l.Px / 10m, l.Sz / 100m))]);
    }

    [Fact]
    public async Task PostOnly_CrossingTheBook_AcceptedThenCanceledByTheEngineWithCancelSource31()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var ask = Book(host).Asks[0].Px;

        var (status, code, row) = await client.PlaceAsync("buy", "post_only", "1", S(ask), "cross1");
        Assert.Equal((200, "0", "0", "cross1"), (status, code, row.GetProperty("sCode").GetString(), row.GetProperty("clOrdId").GetString()));
        Assert.NotEqual("", row.GetProperty("ordId").GetString());

        var (qcode, order) = await client.OrderAsync("cross1");
        Assert.Equal(("0", "canceled", "31", "0"), (qcode, order.GetProperty("state").GetString(), order.GetProperty("cancelSource").GetString(),
            order.GetProperty("accFillSz").GetString()));
        var (_, pending) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/orders-pending");
        Assert.Equal(0, pending.GetProperty("data").GetArrayLength());
        Assert.Empty(host.Context.Private!.Snapshot(host.Context.Private.Accounts.Single()).Positions);
    }

    [Fact]
    public async Task PostOnlyBuy_TapeTradesThroughIt_FilledAsMakerAtItsPriceWithTheFeeOnCtVal()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var limit = Book(host).Bids[0].Px;
        var placedAt = host.Clock.NowMs;
        var (_, code, row) = await client.PlaceAsync("buy", "post_only", "0.02", S(limit), "maker1");
        Assert.Equal(("0", "0"), (code, row.GetProperty("sCode").GetString()));

        var (_, pending) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/orders-pending?instId=" + OkxPrivateClient.Inst);
        Assert.Equal(("maker1", "live", "post_only", "0.02"), (pending.GetProperty("data")[0].GetProperty("clOrdId").GetString(),
            pending.GetProperty("data")[0].GetProperty("state").GetString(), pending.GetProperty("data")[0].GetProperty("ordType").GetString(),
            pending.GetProperty("data")[0].GetProperty("sz").GetString()));

        // Independently: the first taker sell printed strictly below the limit after placement (a print at the limit does not fill).
        var through = new MarketGenerator(SimInstruments.Find(OkxPrivateClient.Inst), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < limit && p.SizeUnits >= 2);
        host.AdvanceTo(through.Ts - 1);
        Assert.Equal("live", (await client.OrderAsync("maker1")).Row.GetProperty("state").GetString());

        host.AdvanceTo(through.Ts);
        var (_, order) = await client.OrderAsync("maker1");
        Assert.Equal(("filled", "0.02", limit), (order.GetProperty("state").GetString(), order.GetProperty("accFillSz").GetString(), D(order.GetProperty("avgPx"))));

        // 0.02 contracts × 0.01 BTC = 0.0002 BTC; maker fee 0.02 % of limit × 0.0002.
        var fee = limit * 0.02m * CtVal * 0.0002m;
        Assert.Equal(10_000m - fee, host.Context.Private!.Accounts.Single().WalletBalance);
        var (_, positions) = await client.SendAsync(HttpMethod.Get, "/api/v5/account/positions");
        var pos = positions.GetProperty("data")[0];
        Assert.Equal(("BTC-USDT-SWAP", "0.02", limit, "net"), (pos.GetProperty("instId").GetString(), pos.GetProperty("pos").GetString(),
            D(pos.GetProperty("avgPx")), pos.GetProperty("posSide").GetString()));
    }

    [Fact]
    public async Task MarketBuyThenSell_TakerAtTheTouch_ContractsConvertedWithCtValForFeesPnlAndNotional()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var (bids, asks) = Book(host);
        var (a0, s0) = asks[0];
        var sz = Math.Min(s0, bids[0].Sz) >= 1 ? 1m : Math.Min(s0, bids[0].Sz); // within the first level of both sides: one fill each
        var (_, code, _) = await client.PlaceAsync("buy", "market", S(sz), null, "buy1");
        Assert.Equal("0", code);
        var (_, order) = await client.OrderAsync("buy1");
        Assert.Equal(("filled", "market", a0, ""), (order.GetProperty("state").GetString(), order.GetProperty("ordType").GetString(),
            D(order.GetProperty("avgPx")), order.GetProperty("px").GetString()));

        // Hand-worked: sz contracts × ctVal 0.01 = BTC; notional = a0 × that; taker fee 0.05 % of the notional.
        var buyFee = a0 * sz * CtVal * 0.0005m;
        var (_, positions) = await client.SendAsync(HttpMethod.Get, "/api/v5/account/positions?instId=" + OkxPrivateClient.Inst);
        var pos = positions.GetProperty("data")[0];
        var (nb, na) = Book(host);
        var mark = (nb[0].Px + na[0].Px) / 2;
        Assert.Equal((sz, a0), (D(pos.GetProperty("pos")), D(pos.GetProperty("avgPx"))));
        Assert.Equal(Math.Round(sz * CtVal * mark, 8), D(pos.GetProperty("notionalUsd")));
        Assert.Equal(Math.Round((mark - a0) * sz * CtVal, 8), D(pos.GetProperty("upl")));

        var b0 = nb[0].Px;
        (_, code, _) = await client.PlaceAsync("sell", "market", S(sz), null, "sell1");
        Assert.Equal("0", code);
        var sellFee = b0 * sz * CtVal * 0.0005m;
        var realized = (b0 - a0) * sz * CtVal;
        Assert.Equal(10_000m + realized - buyFee - sellFee, host.Context.Private!.Accounts.Single().WalletBalance);
        (_, positions) = await client.SendAsync(HttpMethod.Get, "/api/v5/account/positions");
        Assert.Equal(0, positions.GetProperty("data").GetArrayLength()); // flat: OKX lists open positions only
    }

    [Fact]
    public async Task Ioc_AboveTheTouchSize_FillsTheLevelsUpToItsPriceAndCancelsTheRest()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var (a0, s0) = Book(host).Asks[0];
        var (_, code, _) = await client.PlaceAsync("buy", "ioc", S(s0 + 0.01m), S(a0), "ioc1");
        Assert.Equal("0", code);
        var (_, order) = await client.OrderAsync("ioc1");
        Assert.Equal(("canceled", s0, a0), (order.GetProperty("state").GetString(), D(order.GetProperty("accFillSz")), D(order.GetProperty("avgPx"))));
    }

    [Fact]
    public async Task Cancel_ByClOrdId_CanceledOnceThen51400()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var deep = Book(host).Bids[^1].Px - 100m;
        var (_, code, placed) = await client.PlaceAsync("buy", "post_only", "1", S(deep), "rest1");
        Assert.Equal("0", code);

        const string cancel = "{\"instId\":\"BTC-USDT-SWAP\",\"clOrdId\":\"rest1\"}";
        var (status, body) = await client.SendAsync(HttpMethod.Post, "/api/v5/trade/cancel-order", cancel);
        Assert.Equal((200, "0", "0", placed.GetProperty("ordId").GetString()), (status, body.GetProperty("code").GetString(),
            body.GetProperty("data")[0].GetProperty("sCode").GetString(), body.GetProperty("data")[0].GetProperty("ordId").GetString()));
        var (_, order) = await client.OrderAsync("rest1");
        Assert.Equal(("canceled", "1"), (order.GetProperty("state").GetString(), order.GetProperty("cancelSource").GetString()));

        (status, body) = await client.SendAsync(HttpMethod.Post, "/api/v5/trade/cancel-order", cancel);
        Assert.Equal((200, "1", "51400"), (status, body.GetProperty("code").GetString(), body.GetProperty("data")[0].GetProperty("sCode").GetString()));
        (status, body) = await client.SendAsync(HttpMethod.Post, "/api/v5/trade/cancel-order",
            "{\"instId\":\"BTC-USDT-SWAP\",\"ordId\":\"" + placed.GetProperty("ordId").GetString() + "\"}");
        Assert.Equal("51400", body.GetProperty("data")[0].GetProperty("sCode").GetString());
    }

    [Fact]
    public async Task Query_UnknownClOrdId_51603()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var (code, _) = await client.OrderAsync("never");
        Assert.Equal("51603", code);
    }

    [Fact]
    public async Task Place_DuplicateClOrdIdOrOffLotSize_RefusedPerOrderWithSCode()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var deep = Book(host).Bids[^1].Px - 100m;
        Assert.Equal("0", (await client.PlaceAsync("buy", "post_only", "1", S(deep), "dup1")).Code);

        var (status, code, row) = await client.PlaceAsync("buy", "post_only", "1", S(deep), "dup1");
        Assert.Equal((200, "1", "51016", "Duplicated clOrdId", ""), (status, code, row.GetProperty("sCode").GetString(),
            row.GetProperty("sMsg").GetString(), row.GetProperty("ordId").GetString()));

        (_, code, row) = await client.PlaceAsync("buy", "post_only", "0.001", S(deep), "lot1"); // lot 0.01 contracts
        Assert.Equal(("1", "51121"), (code, row.GetProperty("sCode").GetString()));
        (_, code, row) = await client.PlaceAsync("buy", "limit", "1", S(deep), "gtc1");
        Assert.Equal(("1", "51000"), (code, row.GetProperty("sCode").GetString()));

        var (_, pending) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/orders-pending");
        Assert.Equal(1, pending.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Place_AckLostFault_NoAnswerButTheOrderExistsByClOrdId()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var deep = Book(host).Bids[^1].Px - 100m;
        host.Context.Private!.Faults.Arm(Pipeline.Simulator.Trading.PrivateFault.AckLost);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PlaceAsync("buy", "post_only", "1", S(deep), "lost1"));
        var (code, order) = await client.OrderAsync("lost1");
        Assert.Equal(("0", "live"), (code, order.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Place_AckHoldFault_NoAnswerWhileTheClientWaitsButTheOrderExistsOnceByClOrdId()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var deep = Book(host).Bids[^1].Px - 100m;
        var faults = host.Context.Private!.Faults;
        faults.Arm(Pipeline.Simulator.Trading.PrivateFault.AckHold);

        using var leave = new CancellationTokenSource();
        var send = client.PlaceAsync("buy", "post_only", "1", S(deep), "held1", leave.Token);
        await Waits.UntilAsync(() => faults.Holding == 1 || send.IsCompleted, SimTestKit.Bound, "the reply held");
        var (code, order) = await client.OrderAsync("held1");
        Assert.Equal(("0", "live"), (code, order.GetProperty("state").GetString()));
        Assert.False(send.IsCompleted, "the reply was not withheld");

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await Waits.UntilAsync(() => faults.Holding == 0, SimTestKit.Bound, "the held reply released after the client left");
        var (_, again, row) = await client.PlaceAsync("buy", "post_only", "1", S(deep), "held1");
        Assert.Equal(("1", "51016"), (again, row.GetProperty("sCode").GetString())); // duplicated clOrdId
        var (_, pending) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/orders-pending");
        Assert.Equal(1, pending.GetProperty("data").GetArrayLength());
    }
}
