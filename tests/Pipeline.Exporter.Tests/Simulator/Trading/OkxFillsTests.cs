using System.Globalization;
using System.Text.Json;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>The simulator's GET /api/v5/trade/fills: OKX's fields, newest first, paged by billId, fee negative for a charge.</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxFillsTests
{
    [Fact]
    public async Task Fills_TwoMarketOrders_NewestFirstPagedByAfterWithOkxFields()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        Assert.Equal("0", (await client.PlaceAsync("buy", "market", "0.01", null, "fb1")).Code);
        Assert.Equal("0", (await client.PlaceAsync("sell", "market", "0.01", null, "fs1")).Code);
        var truth = host.Context.Private!.Fills(host.Context.Private.Accounts.Single(), OkxPrivateClient.Inst, 0);
        Assert.Equal(2, truth.Count); // 0.01 contracts fill within the first level

        var (status, first) = await client.SendAsync(HttpMethod.Get, $"/api/v5/trade/fills?instType=SWAP&instId={OkxPrivateClient.Inst}&limit=1");
        Assert.Equal((200, "0", 1), (status, first.GetProperty("code").GetString(), first.GetProperty("data").GetArrayLength()));
        var newest = first.GetProperty("data")[0];
        var (order, fill) = truth[1];
        Assert.Equal((fill.TradeId.ToString(CultureInfo.InvariantCulture), "fs1", "sell", "T", "USDT", order.OrderId.ToString(CultureInfo.InvariantCulture)),
            (newest.GetProperty("tradeId").GetString(), newest.GetProperty("clOrdId").GetString(), newest.GetProperty("side").GetString(),
             newest.GetProperty("execType").GetString(), newest.GetProperty("feeCcy").GetString(), newest.GetProperty("ordId").GetString()));
        Assert.Equal((fill.Price, 0.01m, -Math.Round(fill.Fee, 8), fill.Ts), (D(newest, "fillPx"), D(newest, "fillSz"), D(newest, "fee"), (long)D(newest, "ts")));

        var (_, older) = await client.SendAsync(HttpMethod.Get,
            $"/api/v5/trade/fills?instType=SWAP&instId={OkxPrivateClient.Inst}&limit=1&after={newest.GetProperty("billId").GetString()}");
        Assert.Equal("fb1", older.GetProperty("data")[0].GetProperty("clOrdId").GetString());
        var (_, none) = await client.SendAsync(HttpMethod.Get,
            $"/api/v5/trade/fills?instType=SWAP&instId={OkxPrivateClient.Inst}&begin={fill.Ts + 1}");
        Assert.Equal(0, none.GetProperty("data").GetArrayLength());
        var (_, bad) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/fills?instType=SWAP&limit=x");
        Assert.Equal("51000", bad.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Fills_BadSignature_401NoRows()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var (status, body) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/fills?instType=SWAP", secret: "not-the-secret");
        Assert.Equal((401, "50113"), (status, body.GetProperty("code").GetString()));
    }

    private static decimal D(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
