using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>The simulator's GET /fapi/v1/userTrades: the account's fills from the core's fill history, by time window or fromId.</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BinanceUserTradesTests
{
    [Fact]
    public async Task UserTrades_ByTimeThenFromId_EveryFillOnceInOrderWithFeeAndSide()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var since = host.Clock.NowMs;
        Assert.Equal(200, (await client.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&newClientOrderId=ut-1")).Status);
        Assert.Equal(200, (await client.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.002&reduceOnly=true&newClientOrderId=ut-2")).Status);
        var truth = host.Context.Private!.Fills(host.Context.Private.Accounts.Single(), "BTCUSDT", since);
        Assert.True(truth.Count >= 2);

        var (status, all) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", $"symbol=BTCUSDT&startTime={since}");
        Assert.Equal(200, status);
        var rows = all.EnumerateArray().ToList();
        Assert.Equal(truth.Select(t => t.Fill.TradeId), rows.Select(r => r.GetProperty("id").GetInt64()));
        var first = rows[0];
        var fill = truth[0];
        Assert.Equal((fill.Order.OrderId, "BUY", false, true, "USDT", fill.Fill.Ts),
            (first.GetProperty("orderId").GetInt64(), first.GetProperty("side").GetString(), first.GetProperty("maker").GetBoolean(),
             first.GetProperty("buyer").GetBoolean(), first.GetProperty("commissionAsset").GetString(), first.GetProperty("time").GetInt64()));
        Assert.Equal((fill.Fill.Price, fill.Fill.Quantity, fill.Fill.Price * fill.Fill.Quantity * 0.0005m), (D(first, "price"), D(first, "qty"), D(first, "commission")));
        Assert.False(first.TryGetProperty("clientOrderId", out _)); // Binance's userTrades has none: the venue maps orderId

        var (_, page) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", $"symbol=BTCUSDT&fromId={truth[1].Fill.TradeId}&limit=1");
        Assert.Equal(truth[1].Fill.TradeId, Assert.Single(page.EnumerateArray()).GetProperty("id").GetInt64());
        var (_, none) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", $"symbol=BTCUSDT&startTime={host.Clock.NowMs + 1}");
        Assert.Empty(none.EnumerateArray());
    }

    [Fact]
    public async Task UserTrades_FromIdWithATime_1128_WindowOverSevenDays_1127_NoSymbol_1102()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", "symbol=BTCUSDT&fromId=1&startTime=1"), 400, -1128, "Combination of optional parameters invalid.");
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", $"symbol=BTCUSDT&startTime=0&endTime={(7 * 86_400_000L) + 1}"), 400, -1127,
            "More than 7 days between startTime and endTime.");
        await BinanceAuthTests.Expect(client.SignedAsync(HttpMethod.Get, "/fapi/v1/userTrades", "limit=5"), 400, -1102,
            "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    }

    private static decimal D(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
