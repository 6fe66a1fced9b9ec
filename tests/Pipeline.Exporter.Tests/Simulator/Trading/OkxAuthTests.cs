using System.Text.Json;
using Pipeline.Simulator.Okx;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>The simulator verifies OKX's OK-ACCESS-* signature itself and refuses bad requests with OKX's codes (HTTP 401).</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxAuthTests
{
    [Fact]
    public void OkxSignature_DocumentedExampleInputs_MatchAnIndependentHmac()
    {
        // OKX's documented example secret and timestamp; the expected base64 was computed independently with
        // python3 hmac (sha256, base64) and cross-checked with openssl dgst -hmac — OKX publishes no signature for these inputs.
        const string secret = "22582BD0CFF14C41EDBF1AB98506286D";
        const string prehash = "2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC";
        const string expected = "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=";
        Assert.Equal(expected, OkxSignature.Sign(secret, prehash));
        Assert.Equal(expected, OkxPrivateClient.Sign(secret, prehash));
        Assert.Equal(prehash, OkxSignature.Prehash("2020-12-08T09:08:57.715Z", "get", "/api/v5/account/balance?ccy=BTC", ""));
        Assert.True(OkxSignature.Verify(secret, prehash, OkxPrivateClient.Sign(secret, prehash)));
        Assert.False(OkxSignature.Verify(secret, prehash + " ", OkxPrivateClient.Sign(secret, prehash)));
    }

    [Fact]
    public async Task SignedRequest_GoodSignatureWithOrWithoutDemoHeader_Accepted()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);

        foreach (var demo in new[] { true, false })
        {
            var (status, body) = await client.SendAsync(HttpMethod.Get, "/api/v5/trade/orders-pending?instId=" + OkxPrivateClient.Inst, demo: demo);
            Assert.Equal((200, "0", 0), (status, body.GetProperty("code").GetString(), body.GetProperty("data").GetArrayLength()));
        }

        // A timestamp 30 s behind the simulator's clock is still inside the window.
        var (s, b) = await client.SendAsync(HttpMethod.Get, "/api/v5/account/positions", timestamp: OkxPrivateClient.Iso(host.Clock.NowMs - 30_000));
        Assert.Equal((200, "0"), (s, b.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task PublicTime_AnyTime_IsTheSimulatorClock()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var http = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(http, host.Endpoints.OkxRest + "api/v5/public/time");
        Assert.Equal(200, status);
        Assert.Equal(host.Clock.NowMs.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("data")[0].GetProperty("ts").GetString());
    }

    [Fact]
    public async Task SignedRequest_EachDefect_OkxCodeAndHttp401()
    {
        var account = OkxPrivateClient.Account();
        await using var host = await OkxPrivateClient.StartAsync(account);
        using var client = new OkxPrivateClient(host, account);
        var now = host.Clock.NowMs;
        const string path = "/api/v5/trade/orders-pending";
        const string order = "{\"instId\":\"BTC-USDT-SWAP\",\"tdMode\":\"cross\",\"side\":\"buy\",\"ordType\":\"market\",\"sz\":\"1\"}";

        await Expect(client.SendAsync(HttpMethod.Get, path, secret: "not-the-secret"), "50113", "Invalid Sign.");
        await Expect(client.SendAsync(HttpMethod.Get, path, key: "unknown-key"), "50111", "Invalid OK-ACCESS-KEY.");
        await Expect(client.SendAsync(HttpMethod.Get, path, passphrase: "wrong"), "50105", "Request header \"OK-ACCESS-PASSPHRASE\" incorrect.");
        await Expect(client.SendAsync(HttpMethod.Get, path, timestamp: OkxPrivateClient.Iso(now - 30_001)), "50102", "Timestamp request expired.");
        await Expect(client.SendAsync(HttpMethod.Get, path, timestamp: OkxPrivateClient.Iso(now + 30_001)), "50102", "Timestamp request expired.");
        await Expect(client.SendAsync(HttpMethod.Get, path, timestamp: (now / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "50112", "Invalid OK-ACCESS-TIMESTAMP.");
        await Expect(client.SendAsync(HttpMethod.Get, path, key: ""), "50103", "Request header \"OK-ACCESS-KEY\" cannot be empty.");
        await Expect(client.SendAsync(HttpMethod.Get, path, passphrase: ""), "50104", "Request header \"OK-ACCESS-PASSPHRASE\" cannot be empty.");
        await Expect(client.SendAsync(HttpMethod.Get, path, sign: ""), "50106", "Request header \"OK-ACCESS-SIGN\" cannot be empty.");
        await Expect(client.SendAsync(HttpMethod.Get, path, timestamp: ""), "50107", "Request header \"OK-ACCESS-TIMESTAMP\" cannot be empty.");

        // A body other than the one signed (a tampered size), and a query other than the one signed, are refused too: nothing is placed.
        await Expect(client.SendAsync(HttpMethod.Post, "/api/v5/trade/order", order, signedBody: order.Replace("\"sz\":\"1\"", "\"sz\":\"2\"", StringComparison.Ordinal)),
            "50113", "Invalid Sign.");
        await Expect(client.SendAsync(HttpMethod.Get, path + "?instId=BTC-USDT-SWAP", sign: OkxPrivateClient.Sign(account.Secret, OkxPrivateClient.Iso(now) + "GET" + path)),
            "50113", "Invalid Sign.");
        Assert.Empty(host.Context.Private!.OpenOrders(host.Context.Private.Accounts.Single(), null));
        Assert.Empty(host.Context.Private.Snapshot(host.Context.Private.Accounts.Single()).Positions);
    }

    private static async Task Expect(Task<(int Status, JsonElement Body)> call, string code, string msg)
    {
        var (status, body) = await call;
        Assert.Equal((401, code, msg), (status, body.GetProperty("code").GetString(), body.GetProperty("msg").GetString()));
    }
}
