using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Tests.Venues;
using Pipeline.Testing;
using Pipeline.Vault.Micro;
using Serilog.Core;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>
/// The snapshot fetch and the open-interest poll against a local HTTP server answering with the documentation
/// examples: the requests carry the documented query, the answers become records stamped with the clock's receive
/// time, and a malformed or error answer fails with the cause.
/// </summary>
public sealed class BinanceMicroRestClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(WebApplication App, Uri Base, List<string> Requests)> StartAsync(string depthBody, string openInterestBody)
    {
        var requests = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/fapi/v1/depth", (HttpContext http) =>
        {
            lock (requests)
            {
                requests.Add(http.Request.Path + http.Request.QueryString);
            }

            return Results.Text(depthBody, "application/json");
        });
        app.MapGet("/fapi/v1/openInterest", (HttpContext http) =>
        {
            lock (requests)
            {
                requests.Add(http.Request.Path + http.Request.QueryString);
            }

            return Results.Text(openInterestBody, "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address), requests);
    }

    [Fact]
    public async Task FetchDepthSnapshotAndOpenInterest_DocumentedAnswers_RecordsWithReceiveTime()
    {
        var (app, restBase, requests) = await StartAsync(WireFixtures.Text("Binance", "rest-depth.json"), WireFixtures.Text("Binance", "rest-openinterest.json"));
        await using var _ = app;
        var time = new FakeTimeProvider(Now);
        using var rest = new ExchangeRestClient(time, Logger.None, maxRetries: 1);
        using var pacer = new RequestPacer(TimeSpan.Zero, time);
        var client = new BinanceMicroRestClient(restBase, rest, pacer, time);

        var snapshot = await client.FetchDepthSnapshotAsync("BTCUSDT", CancellationToken.None);
        var openInterest = await client.FetchOpenInterestAsync("BTCUSDT", CancellationToken.None);

        Assert.Equal(["/fapi/v1/depth?symbol=BTCUSDT&limit=1000", "/fapi/v1/openInterest?symbol=BTCUSDT"], requests);
        Assert.Equal((BookRecordType.Snapshot, 1027024L, "rest", Now.ToUnixTimeMilliseconds()), (snapshot.Type, snapshot.Seq, snapshot.Src, snapshot.RecvTs));
        Assert.Equal(("BTCUSDT", "10659.509", "openInterest", Now.ToUnixTimeMilliseconds()), (openInterest.InstId, openInterest.OpenInterest, openInterest.Channel, openInterest.RecvTs));
    }

    [Fact]
    public async Task FetchDepthSnapshot_MalformedAnswer_ThrowsWithCause()
    {
        var (app, restBase, _) = await StartAsync("""{"E":1,"T":2,"bids":[],"asks":[]}""", """{"openInterest":"x","symbol":"BTCUSDT","time":1}""");
        await using var _ = app;
        var time = new FakeTimeProvider(Now);
        using var rest = new ExchangeRestClient(time, Logger.None, maxRetries: 1);
        using var pacer = new RequestPacer(TimeSpan.Zero, time);
        var client = new BinanceMicroRestClient(restBase, rest, pacer, time);

        var depth = await Assert.ThrowsAsync<RestRequestException>(() => client.FetchDepthSnapshotAsync("BTCUSDT", CancellationToken.None));
        Assert.EndsWith("depth: lastUpdateId is missing", depth.Message, StringComparison.Ordinal);
        var oi = await Assert.ThrowsAsync<RestRequestException>(() => client.FetchOpenInterestAsync("BTCUSDT", CancellationToken.None));
        Assert.EndsWith("openInterest: openInterest is not a non-negative plain decimal string", oi.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollOpenInterest_ClockAdvances_PollsEachIntervalAndPostsOnlyNewerTimes()
    {
        var times = new Queue<long>([1000, 1000, 3000]);
        var calls = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/fapi/v1/openInterest", () =>
        {
            long t;
            lock (times)
            {
                calls++;
                t = times.Count > 1 ? times.Dequeue() : times.Peek();
            }

            return Results.Text($$"""{"openInterest":"5.5","symbol":"BTCUSDT","time":{{t}}}""", "application/json");
        });
        await app.StartAsync();
        var restBase = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var time = new FakeTimeProvider(Now);
        using var rest = new ExchangeRestClient(time, Logger.None, maxRetries: 1);
        using var pacer = new RequestPacer(TimeSpan.Zero, time);
        var client = new BinanceMicroRestClient(restBase, rest, pacer, time);
        var posted = new List<long>();
        using var stop = new CancellationTokenSource();
        int Calls()
        {
            lock (times)
            {
                return calls;
            }
        }

        var poll = client.PollOpenInterestAsync(["BTCUSDT"], TimeSpan.FromSeconds(10), (r, _) =>
        {
            lock (posted)
            {
                posted.Add(r.Ts);
            }

            return ValueTask.CompletedTask;
        }, (symbol, ex) => Assert.Fail(symbol + ": " + ex.Message), stop.Token);

        await Waits.UntilAsync(() => Calls() == 1, TimeSpan.FromSeconds(30), "the first poll");
        time.Advance(TimeSpan.FromSeconds(10));
        await Waits.UntilAsync(() => Calls() == 2, TimeSpan.FromSeconds(30), "the second poll");
        time.Advance(TimeSpan.FromSeconds(10));
        await Waits.UntilAsync(() => { lock (posted) { return posted.Count == 2; } }, TimeSpan.FromSeconds(30), "the third poll's record");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        Assert.Equal([1000L, 3000L], posted); // the second answer repeated time 1000: not a new observation
        Assert.Equal(3, Calls());
    }
}
