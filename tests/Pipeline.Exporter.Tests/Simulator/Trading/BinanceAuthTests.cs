using Pipeline.Simulator.Binance;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>The simulator verifies Binance SIGNED requests itself and refuses bad ones exactly as Binance documents.</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BinanceAuthTests
{
    [Fact]
    public void BinanceSignature_KnownVector_MatchesAnIndependentHmac()
    {
        // Binance's documented example: secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j.
        const string payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        const string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71", SimPrivateClient.Sign(secret, payload));
        Assert.True(BinanceSignature.Verify(secret, BinanceSignature.Payload("?" + payload + "&signature=x", ""),
            "C8DB56825AE71D6D79447849E617115F4A920FA2ACDCAB2B053C4B2838BD6B71"));
        Assert.False(BinanceSignature.Verify(secret, payload, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b70"));
    }

    [Fact]
    public async Task SignedRequest_GoodSignatureInQueryOrBody_Accepted()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);

        var (status, body) = await client.SignedAsync(HttpMethod.Get, "/fapi/v1/openOrders", "symbol=BTCUSDT&recvWindow=5000");
        Assert.Equal(200, status);
        Assert.Equal(0, body.GetArrayLength());

        var depth = await client.DepthAsync();
        var bid = depth.GetProperty("bids")[2][0].GetString();
        (status, body) = await client.SignedAsync(HttpMethod.Post, "/fapi/v1/order",
            $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.001&price={bid}&newClientOrderId=body-1", inBody: true);
        Assert.Equal(200, status);
        Assert.Equal("NEW", body.GetProperty("status").GetString());
        Assert.Equal("body-1", body.GetProperty("clientOrderId").GetString());
    }

    [Fact]
    public async Task SignedRequest_EachDefect_BinanceStatusCodeAndMessage()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var now = host.Clock.NowMs;
        const string path = "/fapi/v1/openOrders";

        await Expect(client.SignedAsync(HttpMethod.Get, path, "", secret: "not-the-secret"), 400, -1022, "Signature for this request is not valid.");
        await Expect(client.SignedAsync(HttpMethod.Get, path, "", key: "unknown-key"), 401, -2015, "Invalid API-key, IP, or permissions for action.");
        await Expect(client.SignedAsync(HttpMethod.Get, path, "", key: ""), 401, -2014, "API-key format invalid.");
        await Expect(client.SignedAsync(HttpMethod.Get, path, "", timestamp: now - 5001), 400, -1021, "Timestamp for this request is outside of the recvWindow.");
        await Expect(client.SignedAsync(HttpMethod.Get, path, "recvWindow=10000", timestamp: now - 5001), 200, null, null);
        await Expect(client.SignedAsync(HttpMethod.Get, path, "", timestamp: now + 1000), 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        await Expect(client.SignedAsync(HttpMethod.Get, path, "recvWindow=60001"), 400, -1131, "recvWindow must be less than 60000");
        await Expect(client.SendAsync(HttpMethod.Get, path, "symbol=BTCUSDT"), 400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
        await Expect(client.SendAsync(HttpMethod.Get, path, "timestamp=" + now), 400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");

        // A signature over different parameters than those sent (a tampered quantity) is refused too.
        var payload = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=" + now;
        var tampered = payload.Replace("0.001", "0.002", StringComparison.Ordinal) + "&signature=" + SimPrivateClient.Sign(account.Secret, payload);
        await Expect(client.SendAsync(HttpMethod.Post, "/fapi/v1/order", tampered), 400, -1022, "Signature for this request is not valid.");
        Assert.Empty(host.Context.Private!.OpenOrders(host.Context.Private.Accounts.Single(), null));
        Assert.Empty(host.Context.Private.Snapshot(host.Context.Private.Accounts.Single()).Positions);
    }

    [Fact]
    public async Task ServerTime_IsTheSimulatorClock_SoClientsCanOffsetTheirTimestamps()
    {
        var account = SimPrivateClient.Account();
        await using var host = await SimPrivateClient.StartAsync(null, account);
        using var client = new SimPrivateClient(host, account);
        var (status, body) = await client.SendAsync(HttpMethod.Get, "/fapi/v1/time", "", key: "");
        Assert.Equal(200, status);
        Assert.Equal(host.Clock.NowMs, body.GetProperty("serverTime").GetInt64());
    }

    internal static async Task Expect(Task<(int Status, System.Text.Json.JsonElement Body)> call, int status, int? code, string? msg)
    {
        var (s, body) = await call;
        Assert.True(status == s, $"HTTP {s}, expected {status}: {body}");
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetInt32());
            Assert.Equal(msg, body.GetProperty("msg").GetString());
        }
    }
}
