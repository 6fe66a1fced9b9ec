using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Simulator;
using Pipeline.Exporter.Tests.Venues;

namespace Pipeline.Exporter.Tests.Simulator.Okx;

/// <summary>
/// The simulator speaks OKX as the committed wire fixtures (Okx/Fixtures) show it: the same property names and value
/// kinds in its frames and pages, and the production parser reads what it sends.
/// </summary>
public sealed class OkxWireShapeTests
{
    private const string Venue = "Okx";

    private static SimulatorOptions Options => new()
    {
        Rate = 50,
        Start = SimTestKit.PastStart,
        Instruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP"],
        OkxHistoryRateLimit = 1000,
    };

    private static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task TradesAll_SubscribeFixture_AckAndPushHaveTheFixturesShape()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(ws, WireFixtures.Text(Venue, "ws-subscribe-request.json"));
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);

        var ack = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal));
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-subscribe-ack.json"), Parse(ack));
        Assert.Equal(OkxFrameKind.Subscribed, parser.Parse(Encoding.UTF8.GetBytes(ack), 0, TradeSource.Ws));

        var push = await SimTestKit.ExpectAsync(ws, SimTestKit.IsData, TimeSpan.FromSeconds(30));
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-trades-all-push.json"), Parse(push));
        Assert.Equal(OkxFrameKind.Trades, parser.Parse(Encoding.UTF8.GetBytes(push), 0, TradeSource.Ws));
        Assert.Equal(1, parser.Count);
    }

    [Fact]
    public async Task Trades_OnPublic_PushHasTheAggregatedFixturesShape()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"id":"s1","op":"subscribe","args":[{"channel":"trades","instId":"BTC-USDT-SWAP"}]}""");
        var push = await SimTestKit.ExpectAsync(ws, SimTestKit.IsData, TimeSpan.FromSeconds(30));
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-trades-push.json"), Parse(push));
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);
        Assert.Equal(OkxFrameKind.Trades, parser.Parse(Encoding.UTF8.GetBytes(push), 0, TradeSource.Ws));
    }

    [Fact]
    public async Task TradesAll_OnPublic_ErrorHasTheWrongUrlFixturesShape()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(ws, """{"op":"subscribe","args":[{"channel":"trades-all","instId":"BTC-USDT-SWAP"}]}""");
        var error = await SimTestKit.ExpectAsync(ws, t => t.Contains("\"event\"", StringComparison.Ordinal));
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-error-60018.json"), Parse(error));
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);
        Assert.Equal(OkxFrameKind.Error, parser.Parse(Encoding.UTF8.GetBytes(error), 0, TradeSource.Ws));
        Assert.Equal("60018", parser.EventCode);
    }

    [Fact]
    public async Task Ping_Fixture_AnsweredWithThePongFixture()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var ws = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsBusiness.AbsoluteUri);
        await SimTestKit.SendAsync(ws, WireFixtures.Text(Venue, "ws-ping.txt"));
        var pong = WireFixtures.Text(Venue, "ws-pong.txt");
        Assert.Equal(pong, await SimTestKit.ExpectAsync(ws, t => !t.StartsWith('{')));
    }

    [Fact]
    public async Task HistoryTrades_PageHasTheFixturesShape_AndTheParserReadsIt()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var body = await client.GetByteArrayAsync(new Uri(host.Endpoints.OkxRest, "/api/v5/market/history-trades?instId=BTC-USDT-SWAP&limit=2"));
        using var page = JsonDocument.Parse(body);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "rest-history-trades.json"), page.RootElement);
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);
        Assert.Equal(OkxFrameKind.Trades, parser.Parse(body, 0, TradeSource.Rest));
        Assert.Equal(2, parser.Count);
        Assert.True(parser.Items[0].Id > parser.Items[1].Id); // newest first, as in the fixture
    }

    [Fact]
    public async Task Instruments_ListHasTheFixturesFields_AndTheParserAcceptsEveryRow()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var body = await client.GetByteArrayAsync(new Uri(host.Endpoints.OkxRest, OkxInstruments.Path));
        using var list = JsonDocument.Parse(body);
        // The fixture is trimmed to the fields the exporter reads and a few more; the simulator may send more.
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "rest-instruments-swap.json"), list.RootElement, exact: false);
        var (valid, rejected) = OkxInstruments.Parse(body);
        Assert.Empty(rejected);
        Assert.Equal(["BTC-USD-SWAP", "BTC-USDT-SWAP"], valid.Select(s => s.InstId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Archive_CsvHasTheFixturesHeader_AndTheParserReadsIt()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var day = new DateOnly(2026, 3, 1);
        var url = SimulatorEndpoints.Text(host.Endpoints.Archive) + "/" + OkxArchive.RelativeUrl("BTC-USDT-SWAP", day);
        using var dir = new TempDir();
        var path = dir.File("okx.zip");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync(new Uri(url)));

        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
        using (var reader = new StreamReader(Assert.Single(zip.Entries).Open(), Encoding.UTF8))
        {
            var header = WireFixtures.Text(Venue, "archive-trades.csv").Split('\n')[0];
            Assert.Equal(header, await reader.ReadLineAsync());
        }

        var trades = OkxArchive.Parse(path, OkxArchive.FileName("BTC-USDT-SWAP", day), "BTC-USDT-SWAP", 0);
        Assert.NotEmpty(trades);
        var (start, end) = OkxArchive.FileRange(day);
        Assert.All(trades, t => Assert.InRange(t.Ts, start, end - 1));
    }
}
