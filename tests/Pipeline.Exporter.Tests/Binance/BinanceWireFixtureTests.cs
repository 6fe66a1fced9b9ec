using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Tests.Venues;
using Serilog.Core;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>
/// The production Binance parsers on the committed wire fixtures (Binance/Fixtures, from the Binance USD-M documentation
/// examples; see the README there): every field asserted exactly. The simulator tests check the simulator against them.
/// </summary>
public sealed class BinanceWireFixtureTests : IDisposable
{
    private const string Venue = "Binance";
    private readonly BinanceFrameParser _parser = new(["ETHUSDT", "BTCUSDT"]);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ParseFrame_CombinedAggTradeFixture_ReadsEveryField()
    {
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(WireFixtures.Bytes(Venue, "ws-aggtrade-combined.json"), 42));
        Assert.Equal(1, _parser.Count);
        Assert.Equal(1, _parser.InstrumentOf(0));
        Assert.Equal(1, _parser.FrameInstrument); // from the stream name
        var item = _parser.Items[0];
        Assert.Equal((TradeItemKind.Trade, TradeSource.Ws), (item.Kind, item.Src));
        Assert.Equal((2228503268L, 1720000000101L, 42L), (item.Id, item.Ts, item.RecvTs));
        Assert.Equal((5129698194L, 5129698195L), (item.FirstId, item.LastId));
        Assert.False(item.Sell); // m = false: the buyer took
        Assert.Equal(("60276.3", "0.029"), (Encoding.ASCII.GetString(item.PxSpan), Encoding.ASCII.GetString(item.SzSpan)));
    }

    [Fact]
    public void ParseFrame_RawAggTradeFixture_ReadsEveryField()
    {
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(WireFixtures.Bytes(Venue, "ws-aggtrade-raw.json"), 42));
        Assert.Equal(1, _parser.Count);
        Assert.Equal(1, _parser.InstrumentOf(0));
        var item = _parser.Items[0];
        Assert.Equal((TradeItemKind.Trade, TradeSource.Ws), (item.Kind, item.Src));
        Assert.Equal((5933014L, 123456785L, 42L), (item.Id, item.Ts, item.RecvTs));
        Assert.Equal((100L, 105L), (item.FirstId, item.LastId));
        Assert.True(item.Sell); // m = true: the buyer is the maker, the taker sold
        Assert.Equal(("0.001", "100"), (Encoding.ASCII.GetString(item.PxSpan), Encoding.ASCII.GetString(item.SzSpan)));
    }

    [Theory]
    [InlineData("ws-subscribe-result.json")]
    [InlineData("ws-list-subscriptions-result.json")]
    public void ParseFrame_MethodResultFixture_IsResult(string fixture)
    {
        Assert.Equal(BinanceFrameKind.Result, _parser.ParseFrame(WireFixtures.Bytes(Venue, fixture), 0));
        Assert.Equal(0, _parser.Count);
        Assert.Null(_parser.Error);
    }

    [Fact]
    public void ParseFrame_ErrorFixture_IsErrorWithCodeAndMessage()
    {
        Assert.Equal(BinanceFrameKind.Error, _parser.ParseFrame(WireFixtures.Bytes(Venue, "ws-error.json"), 0));
        Assert.Equal("code 2: Invalid request: unknown variable", _parser.Error);
    }

    [Fact]
    public void ParseRestPage_AggTradesFixture_ReadsEveryField()
    {
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseRestPage(WireFixtures.Bytes(Venue, "rest-aggtrades.json"), 1, 8));
        var item = Assert.Single(_parser.Items.ToArray());
        Assert.Equal(1, _parser.InstrumentOf(0));
        Assert.Equal((26129L, 1498793709153L, 8L, true, TradeSource.Rest), (item.Id, item.Ts, item.RecvTs, item.Sell, item.Src));
        Assert.Equal((27781L, 27781L), (item.FirstId, item.LastId));
        Assert.Equal(("0.01633102", "4.70443515"), (Encoding.ASCII.GetString(item.PxSpan), Encoding.ASCII.GetString(item.SzSpan)));
    }

    [Fact]
    public void ParseRestPage_WindowErrorFixture_IsErrorNaming4166()
    {
        Assert.Equal(BinanceFrameKind.Error, _parser.ParseRestPage(WireFixtures.Bytes(Venue, "rest-error-4166.json"), 0, 0));
        Assert.Equal("code -4166: Search window is restricted to recent 2 days only.", _parser.Error);
    }

    [Fact]
    public void ParseInstruments_ExchangeInfoFixture_UnitLinearContract()
    {
        var (valid, rejected) = BinanceInstruments.Parse(WireFixtures.Bytes(Venue, "rest-exchangeinfo.json"));
        Assert.Empty(rejected);
        var spec = Assert.Single(valid);
        Assert.Equal(("binance", "BLZUSDT", "1", "1", "linear", "BLZ", "BLZ", "TRADING"),
            (spec.Exchange, spec.InstId, spec.CtVal, spec.CtMult, spec.CtType, spec.CtValCcy, spec.BaseCcy, spec.State));
    }

    [Fact]
    public void ArchiveParse_AggTradesFixture_ReadsEveryRow()
    {
        var path = WireFixtures.Zip(_dir, WireFixtures.Text(Venue, "archive-aggtrades.csv"));
        var trades = BinanceArchive.Parse(path, "F.zip", 3);
        Assert.Equal(2, trades.Count);
        Assert.Equal((2228503268L, 5129698194L, 5129698195L, 1720000000101L, false, 3L, TradeSource.Archive),
            (trades[0].Id, trades[0].FirstId, trades[0].LastId, trades[0].Ts, trades[0].Sell, trades[0].RecvTs, trades[0].Src));
        Assert.Equal(("60276.3", "0.029"), (Encoding.ASCII.GetString(trades[0].PxSpan), Encoding.ASCII.GetString(trades[0].SzSpan)));
        Assert.Equal((2228503269L, 5129698196L, 5129698196L, 1720000000140L, true), (trades[1].Id, trades[1].FirstId, trades[1].LastId, trades[1].Ts, trades[1].Sell));
        Assert.Equal(("60276.2", "0.004"), (Encoding.ASCII.GetString(trades[1].PxSpan), Encoding.ASCII.GetString(trades[1].SzSpan)));
    }

    [Fact]
    public void Protocol_KeepaliveAndUrl_HaveTheFixturesShape()
    {
        var options = TestSpecs.Options("binance", "BTCUSDT", "ETHUSDT");
        using var quarantine = new Quarantine(new Pipeline.Vault.Layout.VaultLayout(_dir.Path), "binance", TimeProvider.System, Logger.None);
        var protocol = new BinanceProtocol(options, new FeedContext(options.InstIds, [], quarantine, Logger.None));
        using var ping = JsonDocument.Parse(protocol.PingRequest);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-list-subscriptions-request.json"), ping.RootElement);
        Assert.Equal("LIST_SUBSCRIPTIONS", ping.RootElement.GetProperty("method").GetString());
        Assert.Null(protocol.SubscribeRequest); // the combined-stream URL subscribes
        Assert.Equal("wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade", protocol.Url.ToString());
    }
}
