using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Okx.Trading;

/// <summary>The OKX venue's private WebSocket against the simulator: reconnect with a gap event, keep-alive ping on the (fake) clock.</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxPrivateStreamTests
{
    private const string Inst = Pipeline.Exporter.Tests.Simulator.Trading.OkxPrivateClient.Inst;

    [Fact]
    public async Task Stream_DroppedByTheServer_GapFromTheDropThenEventsResumeOnTheNewConnection()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        Assert.Equal(1, kit.Venue.Stream!.Sessions);
        var droppedAt = kit.Host.Clock.NowMs;

        Assert.Equal(1, kit.Exchange.DropUserStreams());

        var gap = await kit.WaitForAsync<VenueStreamGap>(_ => true, "the gap after the reconnect");
        Assert.Equal(droppedAt, gap.SinceMs); // the stepped simulator's clock did not move: the drop's OKX time exactly
        Assert.Contains("reconnected", gap.Reason, StringComparison.Ordinal);
        Assert.Equal(2, kit.Venue.Stream.Sessions);
        Assert.Equal(1, kit.Exchange.Accounts.Single().ListenerCount); // logged in again, once

        var deep = kit.Book().Bids[^1].Px - 100m;
        await kit.Venue.PlaceAsync(new VenueOrderRequest(Inst, "plafter1", VenueSide.Buy, VenueOrderType.PostOnly, 0.01m, deep, false), CancellationToken.None);
        var update = await kit.WaitForAsync<VenueOrderUpdate>(u => u.Order.ClientOrderId == "plafter1", "an order push on the new connection");
        Assert.Equal(VenueOrderStatus.New, update.Order.Status);
        Assert.Single(kit.Of<VenueStreamGap>());
    }

    [Fact]
    public async Task Stream_Idle25SecondsOnTheClock_PingSentAndPongKeepsTheConnection()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        var stream = kit.Venue.Stream!;
        kit.Time.Advance(TimeSpan.FromSeconds(24));
        Assert.Equal(0, stream.Pings);

        kit.Time.Advance(TimeSpan.FromSeconds(1));

        await Waits.UntilAsync(() => stream.Pongs == 1, SimTestKit.Bound, "the pong");
        Assert.Equal(1, stream.Pings);
        kit.Time.Advance(TimeSpan.FromSeconds(10)); // 35 s after the last push but 10 s after the pong: alive, no second ping
        Assert.Equal((1, 1L), (stream.Sessions, stream.Pings));
        Assert.Empty(kit.Of<VenueStreamGap>());
    }

    [Fact]
    public async Task Stream_Silent30SecondsOnTheClock_DroppedReconnectedAndGapReported()
    {
        await using var kit = await OkxVenueKit.StartAsync();

        kit.Time.Advance(TimeSpan.FromSeconds(30)); // no push and no pong for 30 s: OKX would have closed it

        var gap = await kit.WaitForAsync<VenueStreamGap>(_ => true, "the gap after the keep-alive gave up");
        Assert.Contains("no message and no pong for 30 s", gap.Reason, StringComparison.Ordinal);
        Assert.Equal(2, kit.Venue.Stream!.Sessions);
    }

    [Fact]
    public async Task Connect_AgainWithAnotherInstrument_ResubscribedAndItsPushesArrive()
    {
        var account = Pipeline.Exporter.Tests.Simulator.Trading.OkxPrivateClient.Account();
        await using var host = await SimTestKit.StartAsync(new Pipeline.Simulator.SimulatorOptions
        {
            Instruments = [Inst, "ETH-USDT-SWAP"], Rate = 20, Seed = 5, Start = SimTestKit.PastStart, Stepped = true, Micro = true, Accounts = [account],
        });
        host.AdvanceTo(host.Clock.NowMs + 5000);
        await using var kit = await OkxVenueKit.ForAsync(host, account);
        var eth = host.Context.Micro!.Read("ETH-USDT-SWAP", e => e.Current());
        var deep = eth.Bids[^1].Px / 100m - 50m;

        await kit.Venue.ConnectAsync(["ETH-USDT-SWAP"], CancellationToken.None);
        await kit.WaitForAsync<VenueStreamGap>(_ => true, "the resubscription");
        var placed = await kit.Venue.PlaceAsync(new VenueOrderRequest("ETH-USDT-SWAP", "pleth1", VenueSide.Buy, VenueOrderType.PostOnly, 0.1m, deep, false), CancellationToken.None);

        Assert.Equal(VenueOrderStatus.New, placed.Status);
        await kit.WaitForAsync<VenueOrderUpdate>(u => u.Order.ClientOrderId == "pleth1" && u.Order.InstId == "ETH-USDT-SWAP", "the ETH order push");
        Assert.Equal(2, kit.Venue.Stream!.Sessions);
    }

    [Fact]
    public async Task Stream_DroppedAfterOkxClockMovedAMinute_ClockResyncedAndLoggedInAgain()
    {
        await using var kit = await OkxVenueKit.StartAsync();
        kit.Host.AdvanceTo(kit.Host.Clock.NowMs + 60_000); // the local (fake) clock stays: the measured offset is now a minute stale

        kit.Exchange.DropUserStreams();

        await kit.WaitForAsync<VenueStreamGap>(_ => true, "the gap after a login with the resynchronised clock");
        Assert.Equal(1, kit.Exchange.Accounts.Single().ListenerCount);
        Assert.Equal(kit.Host.Clock.NowMs, kit.Venue.Client.NowMs());
    }
}
