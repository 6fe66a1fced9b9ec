using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Simulator;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Micro;

/// <summary>
/// End to end for each venue: the real exporter records quotes, book, liquidations and derivatives from the stepped
/// simulator over real sockets (Binance: REST depth snapshot, two routed connections, REST open interest); afterwards the
/// book <c>pipeline book</c> rebuilds from the vault at random instants equals the simulator's truth book, level for level,
/// and every truth quote in the recorded range is in the vault once, field for field.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class MicroExportSimulatorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Export_AllMicroKinds_BookAtRandomInstantsEqualsTruthAndNoQuoteMissingOrRepeated(string exchange, string instId)
    {
        using var dir = new TempDir();
        var truth = dir.File("truth");
        var start = SimTestKit.PastStart.ToUnixTimeMilliseconds();
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [instId], Rate = 40, Seed = 9, Start = SimTestKit.PastStart, Stepped = true, TruthDir = truth,
        });
        var vault = new VaultLayout(dir.File("vault"));
        var service = new ExporterService(new ExporterOptions
        {
            Exchange = exchange, InstIds = [instId], Data = ExportData.Parse("quotes,book,liquidations,derivatives"),
            OkxWsPublic = sim.Endpoints.OkxWsPublic, OkxWsBusiness = sim.Endpoints.OkxWsBusiness, OkxRest = sim.Endpoints.OkxRest,
            BinanceWs = sim.Endpoints.BinanceWs, BinanceRest = sim.Endpoints.BinanceRest, InitialBackoff = TimeSpan.FromMilliseconds(100),
        }, vault, new SimTimeProvider(sim.Clock));

        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        try
        {
            // The market moves only once the recorder is subscribed: what is published before reaches nobody.
            await Waits.UntilAsync(
                () => run.IsCompleted || (sim.Context.Micro!.Subscribers(instId, MicroChannel.Book) > 0 && sim.Context.Micro.Subscribers(instId, MicroChannel.Quotes) > 0),
                Bound, $"the recorder to subscribe to {instId}'s book and quotes");
            for (var second = 1; second <= 40; second++)
            {
                sim.AdvanceTo(start + (second * 1000));
                var published = sim.Context.Micro!.Read(instId, m => m.Published().Seq);
                // Binance's book starts only once a diff is buffered and the REST snapshot answered: from then on every
                // published update must reach the file before the market moves on.
                var caughtUp = await Waits.UntilAsync(
                    () => run.IsCompleted || second < 3 || (service.Micro!.BookLive(instId) && service.Micro.Stream(instId, MicroKind.Book)!.LastSeq == published),
                    Bound, $"{exchange} {instId}: the book recorded up to seq {published} at second {second}", throwOnTimeout: false);
                Assert.True(caughtUp, $"second {second}: published seq {published}; recorder: live {service.Micro!.BookLive(instId)}, " +
                    $"last seq {service.Micro.Stream(instId, MicroKind.Book)!.LastSeq}, lines {service.Micro.Stream(instId, MicroKind.Book)!.Lines}, " +
                    $"resyncs {service.Micro.Stream(instId, MicroKind.Book)!.Resyncs}, counters {service.Micro.BookCounters(instId)}, quotes {service.Micro.Stream(instId, MicroKind.Quotes)!.Lines}");
                Assert.False(run.IsFaulted, run.Exception?.ToString());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Bound);
            await sim.DisposeAsync(); // flushes the truth files
        }

        var truthBook = MicroLineReaderLines(TruthLayout.MicroPath(truth, MicroKind.Book, exchange, instId)).Select(l => MicroLineReader.Book(l, out _)!).ToList();
        var recorded = MicroLineReaderLines(vault.MicroDayJsonl(MicroKind.Book, exchange, instId, DateOnly.FromDateTime(SimTestKit.PastStart.UtcDateTime)))
            .Select(l => MicroLineReader.Book(l, out _)!).ToList();
        var updates = recorded.Where(r => r.Type == BookRecordType.Update).ToList();
        Assert.True(updates.Count >= 100, $"only {updates.Count} book updates recorded");

        var random = new Random(5);
        var reconstructor = new BookReconstructor(vault);
        for (var i = 0; i < 200; i++)
        {
            var at = updates[random.Next(updates.Count)].Ts;
            var fromVault = reconstructor.At(exchange, instId, at);
            Assert.True(fromVault.Book is not null, $"book unknown at {at}: {fromVault.Unknown}");
            // The truth book as of the same published update (the vault's last applied seq), built from the truth file alone.
            var expected = new OrderBook();
            foreach (var line in truthBook.TakeWhile(l => l.Seq <= fromVault.Book.Seq))
            {
                expected.Apply(line);
            }

            Assert.True(expected.Seq == fromVault.Book.Seq, $"at {at}: truth seq {expected.Seq}, vault seq {fromVault.Book.Seq} (snapshot {fromVault.SnapshotTs}, {fromVault.UpdatesApplied} updates)");
            Assert.True(fromVault.Book.Ts <= at, $"the vault's book at {at} includes a line of {fromVault.Book.Ts}");
            Assert.Equal(Levels(expected.Bids(20)), Levels(fromVault.Book.Bids(20)));
            Assert.Equal(Levels(expected.Asks(20)), Levels(fromVault.Book.Asks(20)));
        }

        var quotes = MicroLineReaderLines(vault.MicroDayJsonl(MicroKind.Quotes, exchange, instId, DateOnly.FromDateTime(SimTestKit.PastStart.UtcDateTime)))
            .Select(l => MicroLineReader.Quote(l, out _)!).ToList();
        Assert.Equal(quotes.Count, quotes.Select(q => q.Seq).Distinct().Count());
        var truthQuotes = MicroLineReaderLines(TruthLayout.MicroPath(truth, MicroKind.Quotes, exchange, instId)).Select(l => MicroLineReader.Quote(l, out _)!)
            .Where(q => q.Seq >= quotes[0].Seq && q.Seq <= quotes[^1].Seq).ToList();
        Assert.Equal(truthQuotes.Select(Fields), quotes.Select(Fields));
        Assert.NotEmpty(MicroLineReaderLines(vault.MicroDayJsonl(MicroKind.Derivatives, exchange, instId, DateOnly.FromDateTime(SimTestKit.PastStart.UtcDateTime))));
    }

    private static List<string> MicroLineReaderLines(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];

    private static List<(decimal Px, decimal Sz)> Levels(IReadOnlyList<BookLevel> levels) =>
        [.. levels.Select(l => (OrderBook.Value(l.Px), OrderBook.Value(l.Sz)))];

    private static string Fields(QuoteRecord q) =>
        $"{q.Exchange}|{q.InstId}|{q.Ts}|{q.Seq}|{OrderBook.Value(q.BidPx)}|{OrderBook.Value(q.BidSz)}|{OrderBook.Value(q.AskPx)}|{OrderBook.Value(q.AskSz)}";
}
