using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Simulator;

namespace Pipeline.Exporter.Tests.Simulator.Okx;

[Collection(SocketTestGroup.Collection)]
public sealed class OkxRestTests
{
    private static SimulatorOptions Options => new()
    {
        Rate = 20,
        Start = SimTestKit.PastStart,
        Instruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP", "BTC-USD-SWAP"],
        OkxHistoryRateLimit = 1000,
    };

    private static List<(long Id, long Ts)> Rows(JsonElement body)
    {
        Assert.Equal("0", body.GetProperty("code").GetString());
        return [.. body.GetProperty("data").EnumerateArray().Select(r =>
            (long.Parse(r.GetProperty("tradeId").GetString()!, CultureInfo.InvariantCulture),
             long.Parse(r.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture)))];
    }

    [Fact]
    public async Task Instruments_SwapContractFieldsAsStrings()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(client, host.Endpoints.OkxRest + "api/v5/public/instruments?instType=SWAP");
        Assert.Equal(200, status);
        var byId = body.GetProperty("data").EnumerateArray().ToDictionary(i => i.GetProperty("instId").GetString()!);
        Assert.Equal(3, byId.Count);
        Assert.Equal("0.01", byId["BTC-USDT-SWAP"].GetProperty("ctVal").GetString());
        Assert.Equal("linear", byId["BTC-USDT-SWAP"].GetProperty("ctType").GetString());
        Assert.Equal("BTC", byId["BTC-USDT-SWAP"].GetProperty("ctValCcy").GetString());
        Assert.Equal("0.1", byId["BTC-USDT-SWAP"].GetProperty("tickSz").GetString());
        Assert.Equal("0.1", byId["ETH-USDT-SWAP"].GetProperty("ctVal").GetString());
        Assert.Equal("100", byId["BTC-USD-SWAP"].GetProperty("ctVal").GetString());
        Assert.Equal("inverse", byId["BTC-USD-SWAP"].GetProperty("ctType").GetString());
        Assert.Equal("USD", byId["BTC-USD-SWAP"].GetProperty("ctValCcy").GetString());
        Assert.Equal("BTC", byId["BTC-USD-SWAP"].GetProperty("settleCcy").GetString());
        foreach (var field in new[] { "ctVal", "ctMult", "lotSz", "minSz", "tickSz", "listTime", "expTime", "state", "uly", "instFamily" })
        {
            Assert.Equal(JsonValueKind.String, byId["BTC-USD-SWAP"].GetProperty(field).ValueKind);
        }

        var (missing, error) = await SimTestKit.GetJsonAsync(client, host.Endpoints.OkxRest + "api/v5/public/instruments");
        Assert.Equal(400, missing);
        Assert.Equal("50014", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task HistoryTrades_PagesNewestFirst_AfterAndBeforeExclusive()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var url = host.Endpoints.OkxRest + "api/v5/market/history-trades?instId=BTC-USDT-SWAP";
        var first = Rows((await SimTestKit.GetJsonAsync(client, url)).Body);
        Assert.Equal(100, first.Count); // default and max limit
        for (var i = 1; i < first.Count; i++)
        {
            Assert.Equal(first[i - 1].Id - 1, first[i].Id); // newest first, consecutive
            Assert.True(first[i].Ts <= first[i - 1].Ts);
        }

        Assert.True(first[0].Ts <= host.Clock.NowMs);
        var oldest = first[^1].Id;
        var second = Rows((await SimTestKit.GetJsonAsync(client, $"{url}&type=1&after={oldest}&limit=50")).Body);
        Assert.Equal(50, second.Count);
        Assert.Equal(oldest - 1, second[0].Id);
        Assert.Equal(oldest - 50, second[^1].Id);

        var newer = Rows((await SimTestKit.GetJsonAsync(client, $"{url}&before={oldest - 50}&limit=10")).Body);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => oldest - 40 - k), newer.Select(r => r.Id));

        var between = Rows((await SimTestKit.GetJsonAsync(client, $"{url}&after={oldest}&before={oldest - 5}")).Body);
        Assert.Equal([oldest - 1, oldest - 2, oldest - 3, oldest - 4], between.Select(r => r.Id));

        var byTime = Rows((await SimTestKit.GetJsonAsync(client, $"{url}&type=2&after={first[^1].Ts}&limit=5")).Body);
        Assert.All(byTime, r => Assert.True(r.Ts < first[^1].Ts));

        var (status, error) = await SimTestKit.GetJsonAsync(client, $"{url}&limit=101");
        Assert.Equal(400, status);
        Assert.Equal("51000", error.GetProperty("code").GetString());

        var recent = Rows((await SimTestKit.GetJsonAsync(client, host.Endpoints.OkxRest + "api/v5/market/trades?instId=BTC-USD-SWAP&limit=500")).Body);
        Assert.Equal(500, recent.Count);
    }

    [Fact]
    public async Task HistoryTrades_PastRateLimit_Http429Code50011()
    {
        // The window runs on the simulator's clock, a fake one here: however slow the requests, they fall in one window.
        var time = new FakeTimeProvider(SimTestKit.PastStart);
        await using var host = await SimTestKit.StartAsync(Options with
        {
            OkxHistoryRateLimit = 20, OkxHistoryRateWindow = TimeSpan.FromMinutes(1), Time = time,
        });
        time.Advance(TimeSpan.FromMinutes(10)); // ten minutes of market before the simulated now
        using var client = new HttpClient();
        var url = host.Endpoints.OkxRest + "api/v5/market/history-trades?instId=ETH-USDT-SWAP&limit=1";
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await SimTestKit.GetJsonAsync(client, url)).Status);
        }

        var (status, body) = await SimTestKit.GetJsonAsync(client, url);
        Assert.Equal(429, status);
        Assert.Equal("50011", body.GetProperty("code").GetString());

        time.Advance(TimeSpan.FromMinutes(1)); // the window has passed
        Assert.Equal(200, (await SimTestKit.GetJsonAsync(client, url)).Status);
    }

    [Fact]
    public async Task Rest429Fault_EveryRequestRefused()
    {
        await using var host = await SimTestKit.StartAsync(Options with { Faults = Pipeline.Simulator.Faults.FaultSpec.Parse("rest429=1") });
        using var client = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(client, host.Endpoints.OkxRest + "api/v5/market/trades?instId=BTC-USDT-SWAP");
        Assert.Equal(429, status);
        Assert.Equal("50011", body.GetProperty("code").GetString());
        var (binance, _) = await SimTestKit.GetJsonAsync(client, host.Endpoints.BinanceRest + "fapi/v1/exchangeInfo");
        Assert.Equal(429, binance);
    }
}
