using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Tests.Venues;
using Serilog.Core;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>
/// The production OKX parsers on the committed wire fixtures (Okx/Fixtures, from the OKX v5 documentation examples;
/// see the README there): every field asserted exactly. The simulator tests check the simulator against the same files.
/// </summary>
public sealed class OkxWireFixtureTests : IDisposable
{
    private const string Venue = "Okx";
    private readonly OkxFrameParser _parser = new(["BTC-USDT-SWAP", "BTC-USD-SWAP"]);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_TradesAllPushFixture_ReadsEveryField()
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(WireFixtures.Bytes(Venue, "ws-trades-all-push.json"), 99, TradeSource.Ws));
        Assert.Equal(1, _parser.Count);
        Assert.Equal(0, _parser.InstrumentOf(0));
        var item = _parser.Items[0];
        Assert.Equal((TradeItemKind.Trade, TradeSource.Ws), (item.Kind, item.Src));
        Assert.Equal((1234567888L, 1720000000123L, 99L, true), (item.Id, item.Ts, item.RecvTs, item.Sell));
        Assert.Equal("65000.1", Encoding.ASCII.GetString(item.PxSpan));
        Assert.Equal("4", Encoding.ASCII.GetString(item.SzSpan));
        Assert.Equal(item.Id, item.FirstCoveredId); // one fill per trades-all row
    }

    [Fact]
    public void Parse_AggregatedTradesPushFixture_KeepsCountAndCoveredIds()
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(WireFixtures.Bytes(Venue, "ws-trades-push.json"), 5, TradeSource.Ws));
        var item = Assert.Single(_parser.Items.ToArray());
        Assert.Equal((1234567890L, 1720000000123L, 3, true), (item.Id, item.Ts, item.Count, item.Sell));
        Assert.Equal(1234567888, item.FirstCoveredId);
        Assert.Equal("65000.1", Encoding.ASCII.GetString(item.PxSpan));
        Assert.Equal("12", Encoding.ASCII.GetString(item.SzSpan));
    }

    [Fact]
    public void Parse_SubscribeAckFixture_IsSubscribedNamingChannelAndInstrument()
    {
        Assert.Equal(OkxFrameKind.Subscribed, _parser.Parse(WireFixtures.Bytes(Venue, "ws-subscribe-ack.json"), 0, TradeSource.Ws));
        Assert.Equal(("trades-all", "BTC-USDT-SWAP"), (_parser.EventChannel, _parser.EventInstId));
        Assert.Equal(0, _parser.Count);
    }

    [Fact]
    public void Parse_WrongUrlErrorFixture_IsError60018WithTheMessage()
    {
        Assert.Equal(OkxFrameKind.Error, _parser.Parse(WireFixtures.Bytes(Venue, "ws-error-60018.json"), 0, TradeSource.Ws));
        Assert.Equal("60018", _parser.EventCode);
        Assert.Equal(
            "Wrong URL or channel:trades-all,instId:BTC-USDT-SWAP doesn't exist. Please use the correct URL, channel and parameters referring to API document.",
            _parser.Error);
    }

    [Fact]
    public void Parse_InvalidRequestErrorFixture_IsError60012()
    {
        Assert.Equal(OkxFrameKind.Error, _parser.Parse(WireFixtures.Bytes(Venue, "ws-error-60012.json"), 0, TradeSource.Ws));
        Assert.Equal("60012", _parser.EventCode);
        Assert.StartsWith("Invalid request: ", _parser.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ServiceNoticeFixture_IsNotice64008()
    {
        Assert.Equal(OkxFrameKind.Notice, _parser.Parse(WireFixtures.Bytes(Venue, "ws-notice-64008.json"), 0, TradeSource.Ws));
        Assert.Equal("64008", _parser.EventCode);
        Assert.Equal("The connection will soon be closed for a service upgrade. Please reconnect.", _parser.Error);
    }

    [Fact]
    public void Parse_PongFixture_IsPong()
    {
        Assert.Equal(OkxFrameKind.Pong, _parser.Parse(WireFixtures.Bytes(Venue, "ws-pong.txt"), 0, TradeSource.Ws));
    }

    [Fact]
    public void Parse_HistoryTradesPageFixture_ReadsRowsNewestFirst()
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(WireFixtures.Bytes(Venue, "rest-history-trades.json"), 7, TradeSource.Rest));
        Assert.Equal(2, _parser.Count);
        var (newest, older) = (_parser.Items[0], _parser.Items[1]);
        Assert.Equal((242720720L, 1654161646974L, true, TradeSource.Rest), (newest.Id, newest.Ts, newest.Sell, newest.Src));
        Assert.Equal(("65000", "0.1"), (Encoding.ASCII.GetString(newest.PxSpan), Encoding.ASCII.GetString(newest.SzSpan)));
        Assert.Equal((242720719L, 1654161641568L, false), (older.Id, older.Ts, older.Sell));
        Assert.Equal(("65000.5", "2"), (Encoding.ASCII.GetString(older.PxSpan), Encoding.ASCII.GetString(older.SzSpan)));
    }

    [Fact]
    public void ParseInstruments_Fixture_LinearAndInverseContracts()
    {
        var (valid, rejected) = OkxInstruments.Parse(WireFixtures.Bytes(Venue, "rest-instruments-swap.json"));
        Assert.Empty(rejected);
        Assert.Equal(2, valid.Count);
        var linear = valid.Single(s => s.InstId == "BTC-USDT-SWAP");
        Assert.Equal(("okx", "0.01", "1", "linear", "BTC", "BTC", "live"),
            (linear.Exchange, linear.CtVal, linear.CtMult, linear.CtType, linear.CtValCcy, linear.BaseCcy, linear.State));
        var inverse = valid.Single(s => s.InstId == "BTC-USD-SWAP");
        Assert.Equal(("okx", "100", "1", "inverse", "USD", "BTC", "live"),
            (inverse.Exchange, inverse.CtVal, inverse.CtMult, inverse.CtType, inverse.CtValCcy, inverse.BaseCcy, inverse.State));
        Assert.True(inverse.IsInverse);
    }

    [Fact]
    public void ArchiveParse_CurrentFormatFixture_ReadsTheRow()
    {
        var path = WireFixtures.Zip(_dir, WireFixtures.Text(Venue, "archive-trades.csv"));
        var trade = Assert.Single(OkxArchive.Parse(path, "F.zip", "BTC-USDT-SWAP", 11));
        Assert.Equal((2885385355L, 1788192000021L, 11L, true, TradeSource.Archive), (trade.Id, trade.Ts, trade.RecvTs, trade.Sell, trade.Src));
        Assert.Equal(("78542.2", "14.07"), (Encoding.ASCII.GetString(trade.PxSpan), Encoding.ASCII.GetString(trade.SzSpan)));
    }

    [Fact]
    public void ArchiveParse_LegacyBilingualFixture_ReadsSizeBeforePrice()
    {
        var path = WireFixtures.Zip(_dir, WireFixtures.Text(Venue, "archive-trades-legacy.csv"));
        var trade = Assert.Single(OkxArchive.Parse(path, "F.zip", "BTC-USDT-SWAP", 0));
        Assert.Equal((42L, 1700000000000L, true), (trade.Id, trade.Ts, trade.Sell));
        Assert.Equal(("65000.5", "3"), (Encoding.ASCII.GetString(trade.PxSpan), Encoding.ASCII.GetString(trade.SzSpan)));
    }

    [Fact]
    public void Protocol_SubscribeAndPing_HaveTheFixturesShape()
    {
        var options = TestSpecs.Options("okx", "BTC-USDT-SWAP");
        using var quarantine = new Quarantine(new Pipeline.Vault.Layout.VaultLayout(_dir.Path), "okx", TimeProvider.System, Logger.None);
        var protocol = new OkxProtocol(options, new FeedContext(options.InstIds, [], quarantine, Logger.None));
        using var sent = JsonDocument.Parse(protocol.SubscribeRequest!.Value);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-subscribe-request.json"), sent.RootElement);
        Assert.Equal("subscribe", sent.RootElement.GetProperty("op").GetString());
        Assert.Equal("trades-all", sent.RootElement.GetProperty("args")[0].GetProperty("channel").GetString());
        Assert.Equal(WireFixtures.Bytes(Venue, "ws-ping.txt"), protocol.PingRequest.ToArray());
        Assert.Equal(options.OkxWsBusiness, protocol.Url);
    }
}
