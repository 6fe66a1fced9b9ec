using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>Binance USD-M orders against the simulated book and tape, checked against independent numbers (the public depth, the generator's prints).</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BinanceOrderTests
{
    private static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task PostOnly_CrossingTheBook_RejectedWith5022AndNotRecorded()
    {
        using var dir = new TempDir();
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(dir.Path, account);
        using var client = new SimPrivateClient(host, account);
        var depth = await client.DepthAsync();
        var ask = depth.GetProperty("asks")[0][0].GetString();
        var bid = depth.GetProperty("bids")[0][0].GetString();
        const string msg = "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history";

        await BinanceAuthTests.Expect(client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={ask}&newClientOrderId=x1"), 400, -5022, msg);
        await BinanceAuthTests.Expect(client.OrderAsync($"symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bid}&newClientOrderId=x2"), 400, -5022, msg);
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=x1"), 400, -2013, "Order does not exist.");

        // At the best ask a sell rests (it joins the queue, crossing nothing).
        var (status, body) = await client.OrderAsync($"symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.001&price={ask}&newClientOrderId=x3");
        Assert.Equal(200, status);
        Assert.Equal("NEW", body.GetProperty("status").GetString());
        Assert.Equal("GTX", body.GetProperty("timeInForce").GetString());

        var truth = File.ReadAllLines(PrivateTruthLog.PathOf(dir.Path, "alice"));
        Assert.Equal(3, truth.Length);
        Assert.Contains("\"reason\":\"PostOnlyWouldTake\"", truth[0], StringComparison.Ordinal);
        Assert.Contains("\"event\":\"new\"", truth[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostOnlyBuy_TapeTradesThroughIt_FilledAsMakerAtItsPriceOnTheFirstSellPrintBelow()
    {
        using var dir = new TempDir();
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(dir.Path, account);
        using var client = new SimPrivateClient(host, account);
        using var ws = await client.UserStreamAsync();
        var bidText = (await client.DepthAsync()).GetProperty("bids")[0][0].GetString()!;
        var limit = decimal.Parse(bidText, CultureInfo.InvariantCulture);
        var placedAt = host.Clock.NowMs;
        var (status, body) = await client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bidText}&newClientOrderId=maker-1");
        Assert.Equal(200, status);

        // Independently: the first taker sell printed strictly below the limit after placement (a print at the limit does not fill).
        var generator = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 5, 20);
        var through = generator.PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < limit);
        host.AdvanceTo(through.Ts - 1);
        (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=maker-1");
        Assert.Equal((200, "NEW"), (status, body.GetProperty("status").GetString()));

        host.AdvanceTo(through.Ts);
        (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=maker-1");
        Assert.Equal((200, "FILLED"), (status, body.GetProperty("status").GetString()));
        Assert.Equal(limit, D(body.GetProperty("avgPrice")));
        Assert.Equal("0.001", body.GetProperty("executedQty").GetString());

        var fee = limit * 0.001m * 0.0002m; // maker 0.02 %
        var ack = await SimTestKit.ExpectAsync(ws, t => t.Contains("ORDER_TRADE_UPDATE", StringComparison.Ordinal));
        Assert.Contains("\"x\":\"NEW\"", ack, StringComparison.Ordinal);
        using var trade = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("ORDER_TRADE_UPDATE", StringComparison.Ordinal)));
        var o = trade.RootElement.GetProperty("o");
        Assert.Equal(through.Ts, trade.RootElement.GetProperty("T").GetInt64());
        Assert.Equal(("BTCUSDT", "maker-1", "BUY", "LIMIT", "GTX", "TRADE", "FILLED"),
            (o.GetProperty("s").GetString(), o.GetProperty("c").GetString(), o.GetProperty("S").GetString(), o.GetProperty("o").GetString(),
             o.GetProperty("f").GetString(), o.GetProperty("x").GetString(), o.GetProperty("X").GetString()));
        Assert.Equal(bidText, o.GetProperty("L").GetString());
        Assert.Equal("0.001", o.GetProperty("l").GetString());
        Assert.Equal("0.001", o.GetProperty("z").GetString());
        Assert.True(o.GetProperty("m").GetBoolean());
        Assert.Equal(fee, D(o.GetProperty("n")));
        Assert.Equal("USDT", o.GetProperty("N").GetString());
        Assert.Equal(0m, D(o.GetProperty("rp")));

        using var update = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("ACCOUNT_UPDATE", StringComparison.Ordinal)));
        var a = update.RootElement.GetProperty("a");
        Assert.Equal("ORDER", a.GetProperty("m").GetString());
        Assert.Equal(10_000m - fee, D(a.GetProperty("B")[0].GetProperty("wb")));
        Assert.Equal("0.001", a.GetProperty("P")[0].GetProperty("pa").GetString());
        Assert.Equal(limit, D(a.GetProperty("P")[0].GetProperty("ep")));

        var truth = File.ReadAllLines(PrivateTruthLog.PathOf(dir.Path, "alice"));
        Assert.Equal(2, truth.Length);
        using var fill = JsonDocument.Parse(truth[1]);
        Assert.Equal(("trade", "maker", through.Ts), (fill.RootElement.GetProperty("event").GetString(),
            fill.RootElement.GetProperty("liquidity").GetString(), fill.RootElement.GetProperty("ts").GetInt64()));
        Assert.Equal(fee, D(fill.RootElement.GetProperty("fee")));
    }

    [Fact]
    public async Task PostOnlyBothSides_OnAWallClockSimulator_FilledFromTheLiveFeedAndReportedOnTheStream()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimTestKit.StartAsync(new Pipeline.Simulator.SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 50, Seed = 9, Speed = 20, Micro = true, Accounts = [account],
        });
        using var client = new SimPrivateClient(host, account);
        using var ws = await client.UserStreamAsync();
        await Waits.UntilAsync(() => host.Context.Micro!.Read("BTCUSDT", e => e.Current()).Bids.Count > 0, SimTestKit.Bound, "the book has bids");
        // A post-only buy at the bid and a post-only sell at the ask: whichever way the live market leaves the spread first
        // trades through one of them. One side alone waited on the market drifting back (it failed once on a busy machine).
        // The market moves between the depth read and the orders: one that now crosses (-5022) is placed again.
        var prices = new Dictionary<string, string>();
        foreach (var (side, book) in new[] { ("BUY", "bids"), ("SELL", "asks") })
        {
            var status = 0;
            for (var attempt = 0; attempt < 10 && status != 200; attempt++)
            {
                var price = (await client.DepthAsync()).GetProperty(book)[0][0].GetString()!;
                var id = $"wall{side}{attempt}";
                (status, _) = await client.OrderAsync($"symbol=BTCUSDT&side={side}&type=LIMIT&timeInForce=GTX&quantity=0.001&price={price}&newClientOrderId={id}");
                prices[id] = price;
            }

            Assert.Equal(200, status);
        }

        var fill = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"x\":\"TRADE\"", StringComparison.Ordinal));
        Assert.Contains("\"X\":\"FILLED\"", fill, StringComparison.Ordinal);
        var order = System.Text.Json.JsonDocument.Parse(fill).RootElement.GetProperty("o");
        Assert.Equal(prices[order.GetProperty("c").GetString()!], order.GetProperty("L").GetString());
    }

    [Fact]
    public async Task PostOnlyBuy_LargerThanThePrintThroughIt_PartiallyFilledByExactlyThePrintSize()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var bidText = (await client.DepthAsync()).GetProperty("bids")[0][0].GetString()!;
        var limit = decimal.Parse(bidText, CultureInfo.InvariantCulture);
        var placedAt = host.Clock.NowMs;
        var (status, _) = await client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=50.000&price={bidText}&newClientOrderId=big");
        Assert.Equal(200, status);

        // Every print through the price fills its own size (several prints may share a millisecond: one taker order, two levels).
        var through = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .Where(p => !p.Buy && p.PriceUnits / 10m < limit).Take(20).ToList();
        var second = through.First(p => p.Ts > through[0].Ts).Ts;
        decimal FilledBy(long ts) => through.Where(p => p.Ts <= ts).Sum(p => p.SizeUnits) / 1000m;
        host.AdvanceTo(through[0].Ts);
        var (_, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=big");
        Assert.Equal("PARTIALLY_FILLED", body.GetProperty("status").GetString());
        Assert.Equal(FilledBy(through[0].Ts), D(body.GetProperty("executedQty")));

        host.AdvanceTo(second);
        (_, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=big");
        Assert.Equal(FilledBy(second), D(body.GetProperty("executedQty")));
        Assert.Equal(limit, D(body.GetProperty("avgPrice")));
    }

    [Fact]
    public async Task IocBuy_AtTheBestAsk_FillsThatLevelOnlyAndExpiresTheRest()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var asks = (await client.DepthAsync()).GetProperty("asks");
        var (a0, s0) = (asks[0][0].GetString(), D(asks[0][1]));
        var (status, body) = await client.OrderAsync(
            $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity={(s0 + 0.001m).ToString("F3", CultureInfo.InvariantCulture)}&price={a0}&newOrderRespType=RESULT");
        Assert.Equal((200, "EXPIRED", "IOC"), (status, body.GetProperty("status").GetString(), body.GetProperty("timeInForce").GetString()));
        Assert.Equal(s0, D(body.GetProperty("executedQty")));
        Assert.Equal(D(asks[0][0]), D(body.GetProperty("avgPrice")));
    }

    [Fact]
    public async Task MarketBuyThenSell_WalkTheLevels_TakerFillsPositionPnlAndFeesAsWorkedFromTheDepth()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        using var ws = await client.UserStreamAsync();
        var depth = await client.DepthAsync();
        var asks = depth.GetProperty("asks");
        var (a0, s0, a1) = (D(asks[0][0]), D(asks[0][1]), D(asks[1][0]));
        var qty = s0 + 0.001m; // the whole first level and one step of the second

        var (status, body) = await client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=MARKET&quantity={qty.ToString("F3", CultureInfo.InvariantCulture)}&newOrderRespType=RESULT&newClientOrderId=buy-1");
        Assert.Equal(200, status);
        var entry = (a0 * s0 + a1 * 0.001m) / qty;
        Assert.Equal(("FILLED", "MARKET"), (body.GetProperty("status").GetString(), body.GetProperty("type").GetString()));
        Assert.Equal(Math.Round(entry, 8), D(body.GetProperty("avgPrice")));
        var buyFees = (a0 * s0 + a1 * 0.001m) * 0.0005m;

        var trades = new List<JsonElement>();
        while (trades.Count < 2)
        {
            using var doc = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("\"x\":\"TRADE\"", StringComparison.Ordinal)));
            trades.Add(doc.RootElement.GetProperty("o").Clone());
        }

        Assert.Equal((a0, s0, false), (D(trades[0].GetProperty("L")), D(trades[0].GetProperty("l")), trades[0].GetProperty("m").GetBoolean()));
        Assert.Equal((a1, 0.001m, "FILLED"), (D(trades[1].GetProperty("L")), D(trades[1].GetProperty("l")), trades[1].GetProperty("X").GetString()));
        Assert.Equal(Math.Round(a0 * s0 * 0.0005m, 8), D(trades[0].GetProperty("n")));

        (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v3/positionRisk", "symbol=BTCUSDT");
        Assert.Equal(200, status);
        Assert.Equal(qty, D(body[0].GetProperty("positionAmt")));
        Assert.Equal(Math.Round(entry, 8), D(body[0].GetProperty("entryPrice")));

        // Sell it all back into the bids, level by level.
        var bids = depth.GetProperty("bids");
        var left = qty;
        var realized = 0m;
        var sellFees = 0m;
        for (var k = 0; left > 0; k++)
        {
            var take = Math.Min(left, D(bids[k][1]));
            realized += (D(bids[k][0]) - entry) * take;
            sellFees += D(bids[k][0]) * take * 0.0005m;
            left -= take;
        }

        (status, body) = await client.OrderAsync($"symbol=BTCUSDT&side=SELL&type=MARKET&quantity={qty.ToString("F3", CultureInfo.InvariantCulture)}&newOrderRespType=RESULT");
        Assert.Equal((200, "FILLED"), (status, body.GetProperty("status").GetString()));
        var exchange = host.Context.Private!;
        var (positions, wallet) = exchange.Snapshot(exchange.Accounts.Single());
        Assert.Equal(0m, positions.Single().Quantity);
        Assert.Equal(realized, positions.Single().RealizedPnl);
        Assert.Equal(10_000m + realized - buyFees - sellFees, wallet);
        Assert.True(realized < 0, "a round trip across the spread loses");

        (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v3/positionRisk", "");
        Assert.Equal((200, 0), (status, body.GetArrayLength())); // v3: only symbols with a position or open orders
        (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v2/positionRisk", "");
        Assert.Equal((200, "0.000", "cross"), (status, body[0].GetProperty("positionAmt").GetString(), body[0].GetProperty("marginType").GetString()));
    }

    [Fact]
    public async Task ReduceOnly_FlatOrGrowing_Refused2022_ClosingCappedAtThePositionAndFillsKeptInHistory()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);

        // Flat: a reduce-only order has nothing to reduce.
        await BinanceAuthTests.Expect(client.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.002&reduceOnly=true"), 400, -2022, "ReduceOnly Order is rejected.");

        var (status, _) = await client.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&newClientOrderId=open-1");
        Assert.Equal(200, status);
        // Long: a reduce-only buy would grow it.
        await BinanceAuthTests.Expect(client.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&reduceOnly=true"), 400, -2022, "ReduceOnly Order is rejected.");

        // A reduce-only sell larger than the position closes it and no more: never flips to short.
        (status, var body) = await client.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.005&reduceOnly=true&newClientOrderId=close-1&newOrderRespType=RESULT");
        Assert.Equal(200, status);
        Assert.Equal(0.002m, D(body.GetProperty("executedQty")));
        Assert.True(body.GetProperty("reduceOnly").GetBoolean(), "the reply says the order is reduce-only");
        var exchange = host.Context.Private!;
        var owner = exchange.Accounts.Single();
        Assert.Equal(0m, exchange.Snapshot(owner).Positions.Single().Quantity);

        var fills = exchange.Fills(owner, "BTCUSDT", 0);
        Assert.Equal((fills.Count, 0), (exchange.FillCount(owner, "BTCUSDT"), exchange.FillCount(owner, "ETHUSDT")));
        Assert.Equal(0.002m, fills.Where(f => f.Order.ClientOrderId == "open-1").Sum(f => f.Fill.Quantity));
        Assert.Equal(0.002m, fills.Where(f => f.Order.ClientOrderId == "close-1").Sum(f => f.Fill.Quantity));
        Assert.Empty(exchange.Fills(owner, "BTCUSDT", fills[^1].Fill.Ts + 1));
    }

    [Fact]
    public async Task ClientOrderId_RepeatedLookedUpAndCanceled_DuplicateRefusedLookupByOrigClientOrderIdWorks()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var bid = (await client.DepthAsync()).GetProperty("bids")[3][0].GetString();
        var order = $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.002&price={bid}&newClientOrderId=s1-202603020000-entry";
        var (status, placed) = await client.OrderAsync(order);
        Assert.Equal(200, status);
        await BinanceAuthTests.Expect(client.OrderAsync(order), 400, -4116, "ClientOrderId is duplicated.");

        var (_, found) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=s1-202603020000-entry");
        Assert.Equal(placed.GetProperty("orderId").GetInt64(), found.GetProperty("orderId").GetInt64());
        Assert.Equal(("NEW", "0.002", bid), (found.GetProperty("status").GetString(), found.GetProperty("origQty").GetString(), found.GetProperty("price").GetString()));
        var (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "symbol=BTCUSDT");
        Assert.Equal(1, open.GetArrayLength());

        var (cancelStatus, canceled) = await client.SignedAsync(HttpMethod.Delete, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=s1-202603020000-entry");
        Assert.Equal((200, "CANCELED"), (cancelStatus, canceled.GetProperty("status").GetString()));
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Delete, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=s1-202603020000-entry"), 400, -2011, "Unknown order sent.");
        await BinanceAuthTests.Expect(client.OrderAsync(order), 400, -4116, "ClientOrderId is duplicated."); // never reusable on the account
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=nope"), 400, -2013, "Order does not exist.");
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/order", "symbol=BTCUSDT"), 400, -1102,
            "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
        (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal(0, open.GetArrayLength());
    }

    [Fact]
    public async Task NewOrder_EachBadParameter_BinanceCodeAndMessage()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        const string gtx = "side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001";
        var cases = new (string Query, int Code, string Msg)[]
        {
            ($"symbol=NOPE&{gtx}&price=1000.0", -1121, "Invalid symbol."),
            ($"{gtx}&price=1000.0", -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."),
            ("symbol=BTCUSDT&side=HOLD&type=MARKET&quantity=0.001", -1117, "Invalid side."),
            ("symbol=BTCUSDT&side=BUY&type=STOP&quantity=0.001", -1116, "Invalid orderType."),
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=1000.0", -1115, "Invalid timeInForce."),
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=1000.0", -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."),
            ($"symbol=BTCUSDT&{gtx}", -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed."),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0", -4003, "Quantity less than or equal to zero."),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.0005", -1111, "Precision is over the maximum defined for this asset."),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=abc", -1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."),
            ($"symbol=BTCUSDT&{gtx}&price=0", -4001, "Price less than 0."),
            ($"symbol=BTCUSDT&{gtx}&price=1000.05", -4014, "Price not increased by tick size."),
            ($"symbol=BTCUSDT&{gtx}&price=1000.0&newClientOrderId=has%20space", -1100,
                "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."),
        };
        foreach (var (query, code, msg) in cases)
        {
            await BinanceAuthTests.Expect(client.OrderAsync(query), 400, code, msg);
        }

        var (_, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal(0, open.GetArrayLength());
    }

    [Fact]
    public async Task NewOrders_PastTheAccountLimit_Refused429With1015()
    {
        var account = SimPrivateClient.Account(limits: [new SimRateLimit(2, TimeSpan.FromHours(1))]);
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var bid = (await client.DepthAsync()).GetProperty("bids")[3][0].GetString();
        for (var k = 0; k < 2; k++)
        {
            var (status, _) = await client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bid}");
            Assert.Equal(200, status);
        }

        await BinanceAuthTests.Expect(client.OrderAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bid}"), 429, -1015,
            "Too many new orders; current limit is 2 orders per 60m.");
        var (s, open) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "");
        Assert.Equal((200, 2), (s, open.GetArrayLength()));
    }

    [Fact]
    public async Task ListenKey_PostPutDelete_KeepAliveUntilDeletedThen1125()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var (_, first) = await client.SendAsync(HttpMethod.Post, "/fapi/v1/listenKey", "");
        var (_, again) = await client.SendAsync(HttpMethod.Post, "/fapi/v1/listenKey", "");
        Assert.Equal(first.GetProperty("listenKey").GetString(), again.GetProperty("listenKey").GetString()); // the active key, extended
        var (put, _) = await client.SendAsync(HttpMethod.Put, "/fapi/v1/listenKey", "");
        Assert.Equal(200, put);
        using var ws = await SimTestKit.ConnectAsync(Pipeline.Simulator.SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/private/ws/" + first.GetProperty("listenKey").GetString());
        await Waits.UntilAsync(() => host.Context.Private!.Accounts.Single().ListenerCount == 1, SimTestKit.Bound, "the user stream subscribed");
        var (del, _) = await client.SendAsync(HttpMethod.Delete, "/fapi/v1/listenKey", "");
        Assert.Equal(200, del);
        Assert.Equal(0, await SimTestKit.DrainUntilClosedAsync(ws)); // the stream's connection ends with its key
        await BinanceAuthTests.Expect(client.SendAsync(HttpMethod.Put, "/fapi/v1/listenKey", ""), 400, -1125, "This listenKey does not exist.");
        await BinanceAuthTests.Expect(client.SendAsync(HttpMethod.Post, "/fapi/v1/listenKey", "", key: "unknown"), 401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
}
