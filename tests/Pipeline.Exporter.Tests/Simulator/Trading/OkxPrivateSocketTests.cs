using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Pipeline.Simulator;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>OKX's private WebSocket in the simulator: login checked independently (its own HMAC here), orders and positions pushed.</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxPrivateSocketTests
{
    private static string Login(Pipeline.Simulator.Trading.SimAccountSpec a, long seconds, string? sign = null, string? passphrase = null, string? key = null)
    {
        var ts = seconds.ToString(CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new
        {
            op = "login",
            args = new[] { new { apiKey = key ?? a.ApiKey, passphrase = passphrase ?? a.Passphrase, timestamp = ts, sign = sign ?? OkxPrivateClient.Sign(a.Secret, ts + "GET/users/self/verify") } },
        });
    }

    private static async Task<ClientWebSocket> ConnectAsync(SimulatorHost host) =>
        await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.OkxWsPublic).Replace("/ws/v5/public", "/ws/v5/private", StringComparison.Ordinal));

    private static async Task<(string Event, string Code)> NextEventAsync(ClientWebSocket ws)
    {
        using var doc = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal)));
        return (doc.RootElement.GetProperty("event").GetString()!, doc.RootElement.TryGetProperty("code", out var c) ? c.GetString()! : "");
    }

    [Fact]
    public async Task Login_EachDefectThenGood_OkxErrorCodesThenLoggedIn()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var ws = await ConnectAsync(host);
        var now = host.Clock.NowMs / 1000;

        await SimTestKit.SendAsync(ws, "{\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SWAP\"}]}");
        Assert.Equal(("error", "60011"), await NextEventAsync(ws));
        await SimTestKit.SendAsync(ws, Login(account, now, key: "unknown"));
        Assert.Equal(("error", "60005"), await NextEventAsync(ws));
        await SimTestKit.SendAsync(ws, Login(account, now - 31));
        Assert.Equal(("error", "60006"), await NextEventAsync(ws));
        await SimTestKit.SendAsync(ws, Login(account, now, passphrase: "wrong"));
        Assert.Equal(("error", "60024"), await NextEventAsync(ws));
        await SimTestKit.SendAsync(ws, Login(account, now, sign: OkxPrivateClient.Sign("not-the-secret", now.ToString(CultureInfo.InvariantCulture) + "GET/users/self/verify")));
        Assert.Equal(("error", "60007"), await NextEventAsync(ws));
        Assert.Equal(0, host.Context.Private!.Accounts.Single().ListenerCount);

        await SimTestKit.SendAsync(ws, Login(account, now));
        Assert.Equal(("login", "0"), await NextEventAsync(ws));
        Assert.Equal(1, host.Context.Private.Accounts.Single().ListenerCount);
    }

    [Fact]
    public async Task MarketBuy_LoggedInAndSubscribed_OrdersPushWithTakerFillAndFeeOnCtValThenPosition()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        using var ws = await ConnectAsync(host);
        await SimTestKit.SendAsync(ws, Login(account, host.Clock.NowMs / 1000));
        Assert.Equal(("login", "0"), await NextEventAsync(ws));
        await SimTestKit.SendAsync(ws, "{\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SWAP\"},{\"channel\":\"positions\",\"instType\":\"SWAP\"}]}");
        Assert.Equal(("subscribe", ""), await NextEventAsync(ws));
        Assert.Equal(("subscribe", ""), await NextEventAsync(ws));

        var book = host.Context.Micro!.Read(OkxPrivateClient.Inst, e => e.Current());
        var (a0, s0) = (book.Asks[0].Px / 10m, book.Asks[0].Sz / 100m);
        var sz = Math.Min(s0, 1m);
        var (_, code, _) = await client.PlaceAsync("buy", "market", sz.ToString(CultureInfo.InvariantCulture), null, "wsbuy1");
        Assert.Equal("0", code);

        using var live = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("\"channel\":\"orders\"", StringComparison.Ordinal) && t.Contains("\"data\"", StringComparison.Ordinal)));
        Assert.Equal(("live", "wsbuy1"), (live.RootElement.GetProperty("data")[0].GetProperty("state").GetString(), live.RootElement.GetProperty("data")[0].GetProperty("clOrdId").GetString()));
        using var fill = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("\"state\":\"filled\"", StringComparison.Ordinal)));
        var o = fill.RootElement.GetProperty("data")[0];
        // Hand-worked: sz contracts × 0.01 BTC × a0 × 0.05 % taker, negative (a charge).
        Assert.Equal((a0, sz, "T", -(a0 * sz * 0.01m * 0.0005m)), (decimal.Parse(o.GetProperty("fillPx").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(o.GetProperty("fillSz").GetString()!, CultureInfo.InvariantCulture), o.GetProperty("execType").GetString(),
            decimal.Parse(o.GetProperty("fillFee").GetString()!, CultureInfo.InvariantCulture)));

        using var pos = JsonDocument.Parse(await SimTestKit.ExpectAsync(ws, t => t.Contains("\"channel\":\"positions\"", StringComparison.Ordinal) && t.Contains("\"data\"", StringComparison.Ordinal)));
        Assert.Equal((sz, a0), (decimal.Parse(pos.RootElement.GetProperty("data")[0].GetProperty("pos").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(pos.RootElement.GetProperty("data")[0].GetProperty("avgPx").GetString()!, CultureInfo.InvariantCulture)));
    }
}
