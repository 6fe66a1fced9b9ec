using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Binance;
using Pipeline.Simulator;
using Pipeline.Exporter.Tests.Venues;

namespace Pipeline.Exporter.Tests.Simulator.Binance;

/// <summary>
/// The simulator speaks Binance USD-M as the committed wire fixtures (Binance/Fixtures) show it: the same property names
/// and value kinds in its frames and pages, and the production parser reads what it sends.
/// </summary>
public sealed class BinanceWireShapeTests
{
    private const string Venue = "Binance";

    private static SimulatorOptions Options => new() { Rate = 50, Start = SimTestKit.PastStart, Instruments = ["BTCUSDT"] };

    private static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static bool IsReply(string text) => text.Contains("\"id\"", StringComparison.Ordinal);

    [Fact]
    public async Task CombinedStream_PushHasTheFixturesShape_AndTheParserReadsIt()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        var url = BinanceProtocol.BuildUrl(host.Endpoints.BinanceWs, ["BTCUSDT"]);
        using var ws = await SimTestKit.ConnectAsync(url.AbsoluteUri);
        var push = await SimTestKit.ExpectAsync(ws, SimTestKit.IsData, TimeSpan.FromSeconds(30));
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-aggtrade-combined.json"), Parse(push));
        var parser = new BinanceFrameParser(["BTCUSDT"]);
        Assert.Equal(BinanceFrameKind.Trades, parser.ParseFrame(Encoding.UTF8.GetBytes(push), 0));
        Assert.Equal(1, parser.Count);
    }

    [Fact]
    public async Task Methods_SubscribeListAndUnknown_RepliesHaveTheFixturesShape()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/stream?streams=btcusdt@aggTrade");
        var parser = new BinanceFrameParser(["BTCUSDT"]);

        await SimTestKit.SendAsync(ws, WireFixtures.Text(Venue, "ws-subscribe-request.json"));
        var subscribed = await SimTestKit.ExpectAsync(ws, IsReply);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-subscribe-result.json"), Parse(subscribed));
        Assert.Equal(BinanceFrameKind.Result, parser.ParseFrame(Encoding.UTF8.GetBytes(subscribed), 0));

        await SimTestKit.SendAsync(ws, WireFixtures.Text(Venue, "ws-list-subscriptions-request.json"));
        var listed = await SimTestKit.ExpectAsync(ws, IsReply);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-list-subscriptions-result.json"), Parse(listed));
        Assert.Equal(BinanceFrameKind.Result, parser.ParseFrame(Encoding.UTF8.GetBytes(listed), 0));

        await SimTestKit.SendAsync(ws, """{"method":"NO_SUCH_METHOD","id":1}""");
        var error = await SimTestKit.ExpectAsync(ws, IsReply);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "ws-error.json"), Parse(error));
        Assert.Equal(BinanceFrameKind.Error, parser.ParseFrame(Encoding.UTF8.GetBytes(error), 0));
    }

    [Fact]
    public async Task AggTrades_PageHasTheFixturesShape_AndTheParserReadsIt()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var body = await client.GetByteArrayAsync(new Uri(host.Endpoints.BinanceRest, "/fapi/v1/aggTrades?symbol=BTCUSDT&limit=3"));
        using var page = JsonDocument.Parse(body);
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "rest-aggtrades.json"), page.RootElement);
        var parser = new BinanceFrameParser(["BTCUSDT"]);
        Assert.Equal(BinanceFrameKind.Trades, parser.ParseRestPage(body, 0, 0));
        Assert.Equal(3, parser.Count);
    }

    [Fact]
    public async Task ExchangeInfo_HasTheFixturesFields_AndTheParserAcceptsEverySymbol()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var body = await client.GetByteArrayAsync(new Uri(host.Endpoints.BinanceRest, BinanceInstruments.Path));
        using var info = JsonDocument.Parse(body);
        // The fixture is one symbol of the documentation example with two filters; the simulator may send more.
        WireFixtures.AssertSameShape(WireFixtures.Json(Venue, "rest-exchangeinfo.json"), info.RootElement, exact: false);
        var (valid, rejected) = BinanceInstruments.Parse(body);
        Assert.Empty(rejected);
        Assert.Equal("BTCUSDT", Assert.Single(valid).InstId);
    }

    [Fact]
    public async Task Archive_CsvHasTheFixturesHeader_AndTheParserReadsIt()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var day = new DateOnly(2026, 3, 1);
        var url = SimulatorEndpoints.Text(host.Endpoints.Archive) + "/" + BinanceArchive.RelativeUrl("BTCUSDT", day);
        using var dir = new TempDir();
        var path = dir.File("binance.zip");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync(new Uri(url)));

        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
        using (var reader = new StreamReader(Assert.Single(zip.Entries).Open(), Encoding.UTF8))
        {
            var header = WireFixtures.Text(Venue, "archive-aggtrades.csv").Split('\n')[0];
            Assert.Equal(header, await reader.ReadLineAsync());
        }

        var trades = BinanceArchive.Parse(path, BinanceArchive.FileName("BTCUSDT", day), 0);
        Assert.NotEmpty(trades);
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.All(trades, t => Assert.InRange(t.Ts, start, start + 86_400_000 - 1));
    }
}
