using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;

namespace Pipeline.Exporter.Tests.Binance;

public sealed class BinanceServerClockTests
{
    private static readonly DateTimeOffset Local = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void NowMs_BeforeMeasurement_LocalClock()
    {
        var clock = new BinanceServerClock(new FakeTimeProvider(Local));

        Assert.False(clock.IsSynchronised);
        Assert.Equal(1_700_000_000_000, clock.NowMs());
    }

    [Fact]
    public void Observe_ServerAhead_OffsetFromRoundTripMidpoint()
    {
        var time = new FakeTimeProvider(Local);
        var clock = new BinanceServerClock(time);

        // Sent at local 1000, answered at local 1200: the server's 2600 was read at about local 1100, so it runs 1500 ahead.
        clock.Observe(serverTimeMs: 2600, sentLocalMs: 1000, receivedLocalMs: 1200);
        time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True(clock.IsSynchronised);
        Assert.Equal(1500, clock.OffsetMs);
        Assert.Equal(1_700_000_000_000 + 250 + 1500, clock.NowMs());
    }

    [Fact]
    public void Observe_ServerBehind_NegativeOffset()
    {
        var clock = new BinanceServerClock(new FakeTimeProvider(Local));
        clock.Observe(serverTimeMs: 9_000, sentLocalMs: 10_000, receivedLocalMs: 10_000);
        Assert.Equal(-1000, clock.OffsetMs);
    }

    [Theory]
    [InlineData("{\"serverTime\":1499827319559}", 1499827319559)]
    [InlineData("{\"other\":{\"a\":[1,2]},\"serverTime\":1499827319559}", 1499827319559)]
    public void ParseServerTime_Answer_Value(string json, long expected) =>
        Assert.Equal(expected, BinanceServerClock.ParseServerTime(System.Text.Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"serverTime\":\"1499827319559\"}")]
    [InlineData("[]")]
    public void ParseServerTime_NoIntegerServerTime_FormatException(string json) =>
        Assert.Throws<FormatException>(() => BinanceServerClock.ParseServerTime(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public async Task SynchroniseAsync_TimeEndpoint_OffsetMeasured()
    {
        var time = new FakeTimeProvider(Local);
        var clock = new BinanceServerClock(time);
        using var handler = new TimeHandler(time, serverTimeMs: 1_700_000_004_000, roundTrip: TimeSpan.FromMilliseconds(100));
        using var http = new HttpClient(handler);

        await clock.SynchroniseAsync(http, new Uri("https://testnet.binancefuture.com"), CancellationToken.None);

        Assert.Equal(new Uri("https://testnet.binancefuture.com/fapi/v1/time"), handler.Requested);
        Assert.Equal(4_000 - 50, clock.OffsetMs);
    }

    private sealed class TimeHandler(FakeTimeProvider time, long serverTimeMs, TimeSpan roundTrip) : HttpMessageHandler
    {
        public Uri? Requested { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested = request.RequestUri;
            time.Advance(roundTrip);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"{{\"serverTime\":{serverTimeMs}}}"),
            });
        }
    }
}
