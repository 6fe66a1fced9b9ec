using System.Text;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator.Micro;

/// <summary>
/// The simulator's OKX <c>index-tickers</c>: subscribed by index (the instrument's family), it pushes the index price of
/// every mark-price event, and the exporter's parser turns each push into exactly the truth's derivatives line.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class OkxIndexTickersSimTests
{
    private const string Okx = "BTC-USDT-SWAP";
    private static readonly long Start = SimTestKit.PastStart.ToUnixTimeMilliseconds();

    [Fact]
    public async Task IndexTickers_SubscribedByIndex_PushesParseToTheTruthLines()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path));
        using var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        var frames = new List<string>();
        await SimTestKit.SendAsync(okx, """{"op":"subscribe","args":[{"channel":"index-tickers","instId":"BTC-USDT"},{"channel":"index-tickers","instId":"XRP-USDT"}]}""");
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"event\":\"subscribe\"", StringComparison.Ordinal));
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"event\":\"error\"", StringComparison.Ordinal));
        Assert.Contains(frames, f => f.Contains("\"code\":\"60018\"", StringComparison.Ordinal) && f.Contains("XRP-USDT", StringComparison.Ordinal));
        frames.Clear();

        for (var s = 1; s <= 30; s++)
        {
            host.AdvanceTo(Start + s * 1000);
        }

        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"channel\":\"index-tickers\"", StringComparison.Ordinal) &&
            t.Contains($"\"ts\":\"{Start + 30_000}\"", StringComparison.Ordinal));
        await host.StopAsync();

        var protocol = new OkxMicroProtocol([Okx]);
        var sink = new IndexLines();
        foreach (var frame in frames)
        {
            Assert.True(protocol.TryParse(Encoding.UTF8.GetBytes(frame), 0, sink, out var problem), problem);
        }

        var truth = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Derivatives, "okx", Okx))
            .Select(l => MicroLineReader.Derivatives(l, out _)!).Where(d => d.Channel == "index-tickers" && d.Ts > Start).ToList();
        Assert.Equal(30, truth.Count); // one a second
        Assert.Equal(truth.Select(d => d with { RecvTs = 0 }), sink.Lines.Where(d => d.Ts > Start));
        Assert.All(truth, d => Assert.True(decimal.Parse(d.IndexPx!, System.Globalization.CultureInfo.InvariantCulture) > 0));
    }

    /// <summary>The derivatives lines the parser emits.</summary>
    private sealed class IndexLines : IMicroSink
    {
        public List<DerivativesRecord> Lines { get; } = [];

        public void Quote(QuoteRecord quote) => throw new InvalidOperationException("a quote");

        public void Book(BookRecord book) => throw new InvalidOperationException("a book line");

        public void Liquidation(LiquidationRecord liquidation) => throw new InvalidOperationException("a liquidation");

        public void Derivatives(DerivativesRecord derivatives) => Lines.Add(derivatives);
    }
}
