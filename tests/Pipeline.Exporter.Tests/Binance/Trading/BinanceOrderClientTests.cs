using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Exporter.Tests.Simulator.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Binance.Trading;

/// <summary>The Binance USD-M order client against the simulator's private API over loopback (a stepped market, a fake local clock).</summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BinanceOrderClientTests
{
    /// <summary>The client's local clock: an hour off the simulator's, so every signed request depends on the measured offset.</summary>
    private static readonly long LocalStart = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public async Task PostOnly_MarketTradesThroughIt_RestsThenFilledAsMakerSeenByQuery()
    {
        await using var rig = await Rig.StartAsync();
        var bid = await rig.BestAsync("bids", 0);
        var placedAt = rig.Host.Clock.NowMs;
        var placed = await rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, bid, "entry-1", CancellationToken.None);
        Assert.Equal(("NEW", "GTX", "LIMIT", bid, 0.002m), (placed.Status, placed.TimeInForce, placed.Type, placed.Price, placed.OrigQty));

        // Independently: the first taker sell printed strictly below the limit after placement fills it.
        var through = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < bid);
        rig.Host.AdvanceTo(through.Ts - 1);
        Assert.Equal("NEW", (await rig.Client.QueryAsync("BTCUSDT", "entry-1", CancellationToken.None))!.Status);
        Assert.Single(await rig.Client.OpenOrdersAsync("BTCUSDT", CancellationToken.None));

        rig.Host.AdvanceTo(through.Ts);
        var filled = await rig.Client.QueryAsync("BTCUSDT", "entry-1", CancellationToken.None);
        Assert.Equal(("FILLED", 0.002m, bid), (filled!.Status, filled.ExecutedQty, filled.AvgPrice));
        Assert.Empty(await rig.Client.OpenOrdersAsync(null, CancellationToken.None));
        var position = Assert.Single(await rig.Client.PositionRiskAsync("BTCUSDT", CancellationToken.None));
        Assert.Equal((0.002m, bid), (position.PositionAmt, position.EntryPrice));
    }

    [Fact]
    public async Task PostOnly_WouldCross_TypedRejectedError5022()
    {
        await using var rig = await Rig.StartAsync();
        var ask = await rig.BestAsync("asks", 0);
        var e = await Assert.ThrowsAsync<BinanceApiException>(() =>
            rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, ask, "cross-1", CancellationToken.None));
        Assert.Equal((-5022, BinanceErrorKind.Rejected, 400), (e.Code, e.Kind, e.HttpStatus));
        Assert.StartsWith("binance POST /fapi/v1/order: -5022 ", e.Message, StringComparison.Ordinal);
        Assert.Null(await rig.Client.QueryAsync("BTCUSDT", "cross-1", CancellationToken.None));
    }

    [Fact]
    public async Task MarketEntryThenReduceOnlyExit_BothFilled_PositionFlat()
    {
        await using var rig = await Rig.StartAsync();
        var ask = await rig.BestAsync("asks", 0);
        var entry = await rig.Client.PlaceMarketAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, ask, "mkt-in", reduceOnly: false, CancellationToken.None);
        Assert.Equal(("FILLED", 0.002m), (entry.Status, entry.ExecutedQty));
        Assert.Equal(0.002m, Assert.Single(await rig.Client.PositionRiskAsync("BTCUSDT", CancellationToken.None)).PositionAmt);

        var exit = await rig.Client.PlaceMarketAsync(rig.Filters, BinanceOrderSide.Sell, 0.002m, ask, "mkt-out", reduceOnly: true, CancellationToken.None);
        Assert.Equal(("FILLED", 0.002m, "MARKET"), (exit.Status, exit.ExecutedQty, exit.Type));
        Assert.All(await rig.Client.PositionRiskAsync("BTCUSDT", CancellationToken.None), p => Assert.Equal(0m, p.PositionAmt));
    }

    [Fact]
    public async Task Cancel_ByClientId_CanceledThenSecondCancelRejected2011()
    {
        await using var rig = await Rig.StartAsync();
        var deep = await rig.BestAsync("bids", 3);
        await rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, deep, "cxl-1", CancellationToken.None);
        var canceled = await rig.Client.CancelAsync("BTCUSDT", "cxl-1", CancellationToken.None);
        Assert.Equal(("CANCELED", "cxl-1"), (canceled.Status, canceled.ClientOrderId));
        Assert.Empty(await rig.Client.OpenOrdersAsync("BTCUSDT", CancellationToken.None));
        var e = await Assert.ThrowsAsync<BinanceApiException>(() => rig.Client.CancelAsync("BTCUSDT", "cxl-1", CancellationToken.None));
        Assert.Equal((-2011, BinanceErrorKind.Rejected), (e.Code, e.Kind));
    }

    [Fact]
    public async Task AckLost_PlaceSurfacesUnknown_QueryByClientIdFindsTheOrderExactlyOnce()
    {
        await using var rig = await Rig.StartAsync();
        var deep = await rig.BestAsync("bids", 3);
        rig.Host.Context.Private!.Faults.Arm(PrivateFault.AckLost);
        var e = await Assert.ThrowsAsync<BinanceApiException>(() =>
            rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, deep, "lost-1", CancellationToken.None));
        Assert.Equal((-1007, BinanceErrorKind.Unknown), (e.Code, e.Kind));
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.OrderPath)); // not resent

        var found = await rig.Client.QueryAsync("BTCUSDT", "lost-1", CancellationToken.None);
        Assert.Equal(("NEW", deep), (found!.Status, found.Price));
        Assert.Single(await rig.Client.OpenOrdersAsync(null, CancellationToken.None), o => o.ClientOrderId == "lost-1");
    }

    [Fact]
    public async Task BadSecret_FatalBadKeyOneLineNoRetryNoSecret()
    {
        await using var rig = await Rig.StartAsync(secret: "wrong-secret-not-alice-000");
        var deep = await rig.BestAsync("bids", 3);
        var e = await Assert.ThrowsAsync<BinanceApiException>(() =>
            rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, deep, "bad-1", CancellationToken.None));
        Assert.Equal((-1022, BinanceErrorKind.BadKey, true), (e.Code, e.Kind, e.IsBadKey));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("wrong-secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Account.ApiKey, e.Message, StringComparison.Ordinal);
        Assert.Contains("not retrying", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.OrderPath));
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Get, BinanceServerClock.TimePath)); // only the start-up sync
    }

    [Fact]
    public async Task UnknownKey_FatalBadKey2015()
    {
        await using var rig = await Rig.StartAsync(key: "nobody-key-0123456789abcdef");
        var e = await Assert.ThrowsAsync<BinanceApiException>(() => rig.Client.OpenOrdersAsync(null, CancellationToken.None));
        Assert.Equal((-2015, BinanceErrorKind.BadKey, 401), (e.Code, e.Kind, e.HttpStatus));
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.OpenOrdersPath));
    }

    [Fact]
    public async Task LocalClockJumpsAhead_OneResyncAndOneRetrySucceeds()
    {
        await using var rig = await Rig.StartAsync();
        rig.Local.Advance(TimeSpan.FromSeconds(10)); // the local clock drifts 10 s ahead: signed requests are rejected -1021
        var open = await rig.Client.OpenOrdersAsync(null, CancellationToken.None);
        Assert.Empty(open);
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Get, BinanceServerClock.TimePath)); // start-up + one resync
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.OpenOrdersPath)); // rejected + retried
    }

    [Fact]
    public async Task ClockKeepsSkewing_SecondRejectionThrown_NoLoop()
    {
        await using var rig = await Rig.StartAsync();
        rig.Counter.AfterTime = () => rig.Local.Advance(TimeSpan.FromSeconds(10)); // every measurement is stale at once
        rig.Local.Advance(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<BinanceApiException>(() => rig.Client.OpenOrdersAsync(null, CancellationToken.None));
        Assert.Equal((-1021, BinanceErrorKind.ClockSkew), (e.Code, e.Kind));
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Get, BinanceOrderClient.OpenOrdersPath));
        Assert.Equal(2, rig.Counter.Count(HttpMethod.Get, BinanceServerClock.TimePath));
    }

    [Fact]
    public async Task Filters_FromTheSimulatorsExchangeInfo_QuantityRoundedAndSmallOrderRefusedUnsent()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal((0.1m, 0.001m, 100m), (rig.Filters.TickSize, rig.Filters.StepSize, rig.Filters.MinNotional));
        var deep = await rig.BestAsync("bids", 3);
        var placed = await rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.0029m, deep + 0.07m, "round-1", CancellationToken.None);
        Assert.Equal((0.002m, deep), (placed.OrigQty, placed.Price)); // 0.0029 → 0.002; deep + 0.07 → deep (buy rounds down)
        await Assert.ThrowsAsync<BinanceFilterException>(() =>
            rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.001m, deep, "small-1", CancellationToken.None));
        Assert.Equal(1, rig.Counter.Count(HttpMethod.Post, BinanceOrderClient.OrderPath));
    }

    [Fact]
    public async Task UserDataStream_MakerFill_ParsedIntoTypedFillEventWithFeeAndTradeId()
    {
        await using var rig = await Rig.StartAsync();
        var key = await rig.Client.CreateListenKeyAsync(CancellationToken.None);
        Assert.Equal(key, await rig.Client.CreateListenKeyAsync(CancellationToken.None)); // one active key per account
        await using var stream = await BinanceUserDataClient.ConnectAsync(rig.Host.Endpoints.BinanceWs, key, CancellationToken.None);
        await Waits.UntilAsync(() => rig.Host.Context.Private!.Accounts.Any(a => a.ListenerCount > 0), SimTestKit.Bound, "the user stream subscribed");
        await rig.Client.KeepAliveListenKeyAsync(CancellationToken.None);

        var bid = await rig.BestAsync("bids", 0);
        var placedAt = rig.Host.Clock.NowMs;
        await rig.Client.PlacePostOnlyAsync(rig.Filters, BinanceOrderSide.Buy, 0.002m, bid, "stream-1", CancellationToken.None);
        var through = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 5, 20).PrintsBetween(placedAt + 1, placedAt + 3_600_000)
            .First(p => !p.Buy && p.PriceUnits / 10m < bid);
        rig.Host.AdvanceTo(through.Ts);

        using var bound = new CancellationTokenSource(SimTestKit.Bound);
        var ack = await stream.ReceiveAsync(bound.Token);
        Assert.Equal(("stream-1", "NEW", "NEW", false), (ack!.ClientOrderId, ack.ExecutionType, ack.Status, ack.IsFill));
        var fill = await stream.ReceiveAsync(bound.Token); // the ACCOUNT_UPDATE between is skipped
        Assert.Equal(("stream-1", "BTCUSDT", "BUY", "TRADE", "FILLED", true), (fill!.ClientOrderId, fill.Symbol, fill.Side, fill.ExecutionType, fill.Status, fill.IsMaker));
        Assert.Equal((0.002m, bid, 0.002m, "USDT", through.Ts), (fill.LastQty, fill.LastPrice, fill.CumulativeQty, fill.FeeAsset, fill.TransactionTimeMs));
        Assert.Equal(bid * 0.002m * 0.0002m, fill.Fee); // maker 0.02 %
        Assert.True(fill.IsFill);
        Assert.NotEqual(0, fill.TradeId);

        await rig.Client.CloseListenKeyAsync(CancellationToken.None);
        Assert.Null(await stream.ReceiveAsync(bound.Token)); // the stream ends when its key is deleted
        var e = await Assert.ThrowsAsync<BinanceApiException>(() => rig.Client.KeepAliveListenKeyAsync(CancellationToken.None));
        Assert.Equal(-1125, e.Code);
    }

    [Fact]
    public void OrderUpdate_OtherEvents_NotParsedAsOrderUpdates()
    {
        Assert.False(BinanceUserDataClient.TryParseOrderUpdate("""{"e":"ACCOUNT_UPDATE","E":1,"T":1,"a":{}}"""u8, out _));
        Assert.True(BinanceUserDataClient.TryParseOrderUpdate(
            """{"e":"ORDER_TRADE_UPDATE","E":2,"T":1,"o":{"s":"BTCUSDT","c":"x1","S":"SELL","x":"TRADE","X":"PARTIALLY_FILLED","i":7,"l":"0.001","L":"65000.1","z":"0.001","n":"0.03250005","N":"USDT","m":false,"t":9,"rp":"-0.5"}}"""u8,
            out var u));
        Assert.Equal(new BinanceOrderUpdate(2, 1, "BTCUSDT", "x1", 7, "SELL", "TRADE", "PARTIALLY_FILLED", 0.001m, 65000.1m, 0.001m, 0.03250005m, "USDT", false, 9, -0.5m), u);
    }

    /// <summary>A simulator with account alice, a client signing with <paramref name="key"/>/<paramref name="secret"/> (alice's by default) on a fake local clock.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly HttpClient _http;

        private Rig(SimulatorHost host, SimAccountSpec account, FakeTimeProvider local, BinanceRequestCounter counter, HttpClient http, BinanceOrderClient client, BinanceSymbolFilters filters)
        {
            (Host, Account, Local, Counter, _http, Client, Filters) = (host, account, local, counter, http, client, filters);
        }

        public SimulatorHost Host { get; }

        public SimAccountSpec Account { get; }

        public FakeTimeProvider Local { get; }

        public BinanceRequestCounter Counter { get; }

        public BinanceOrderClient Client { get; }

        public BinanceSymbolFilters Filters { get; }

        public static async Task<Rig> StartAsync(string? key = null, string? secret = null)
        {
            var account = SimPrivateClient.Account();
            var host = await SimPrivateClient.StartAsync(null, account);
            var local = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(LocalStart));
            var counter = new BinanceRequestCounter { InnerHandler = new SocketsHttpHandler() };
            var http = new HttpClient(counter) { Timeout = SimTestKit.Bound };
            var info = await http.GetByteArrayAsync(new Uri(host.Endpoints.BinanceRest, BinanceInstruments.Path));
            var filters = BinanceSymbolFilters.Parse(info, "BTCUSDT");
            var credentials = ApiCredentials.Create(TradingVenues.Binance, key ?? account.ApiKey, secret ?? account.Secret, null, "test");
            var client = new BinanceOrderClient(http, host.Endpoints.BinanceRest, credentials, new BinanceServerClock(local));
            await client.SyncTimeAsync(CancellationToken.None);
            return new Rig(host, account, local, counter, http, client, filters);
        }

        /// <summary>The price of level <paramref name="level"/> of the public depth's bids or asks now.</summary>
        public async Task<decimal> BestAsync(string side, int level)
        {
            using var sim = new SimPrivateClient(Host, Account);
            var depth = await sim.DepthAsync();
            return decimal.Parse(depth.GetProperty(side)[level][0].GetString()!, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Host.DisposeAsync();
        }
    }
}
