using System.Net.WebSockets;
using Pipeline.Simulator;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator.Micro;

/// <summary>
/// The micro channels over real sockets from a stepped simulator: a client that follows the venues' documented rules
/// rebuilds exactly the truth book, every OKX checksum verifies, and the derivatives/liquidation/quote frames are the truth.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class MicroChannelsTests
{
    private const string Okx = "BTC-USDT-SWAP";
    private const string Binance = "BTCUSDT";
    private static readonly long Start = SimTestKit.PastStart.ToUnixTimeMilliseconds();

    internal static SimulatorOptions Options(string truth, ulong seed = 4, string? faults = null) => new()
    {
        Instruments = [Okx, Binance], Rate = 40, Seed = seed, Start = SimTestKit.PastStart, Stepped = true, TruthDir = truth, Micro = true,
        Faults = Pipeline.Simulator.Faults.FaultSpec.Parse(faults),
    };

    [Fact]
    public async Task OkxBooks_SnapshotThenUpdates_RebuildTheTruthBookAndEveryChecksumVerifies()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(Options(dir.Path));
        using var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        var frames = new List<string>();
        await SimTestKit.SendAsync(okx, $$"""{"op":"subscribe","args":[{"channel":"books","instId":"{{Okx}}"}]}""");
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"action\":\"snapshot\"", StringComparison.Ordinal));
        Assert.Contains("\"event\":\"subscribe\"", frames[0], StringComparison.Ordinal); // the ack comes before the snapshot

        for (var s = 1; s <= 20; s++)
        {
            host.AdvanceTo(Start + s * 1000 + 37);
        }

        var last = host.Context.Micro!.Read(Okx, e => e.Published().Seq);
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains($"\"seqId\":{last}}}", StringComparison.Ordinal));

        var book = new OrderBook();
        long? prev = null;
        var updates = 0;
        foreach (var root in frames.Select(MicroClient.Parse).Where(r => MicroClient.OkxChannel(r) == "books"))
        {
            var (line, prevSeqId, checksum) = MicroClient.OkxBook(root, Okx);
            if (line.Type == BookRecordType.Snapshot)
            {
                Assert.Equal(-1, prevSeqId);
            }
            else
            {
                Assert.Equal(prev, prevSeqId);
                updates++;
            }

            book.Apply(line);
            Assert.Equal(MicroMarketTests.IndependentChecksum(book), checksum);
            prev = line.Seq;
        }

        Assert.True(updates > 150, $"{updates} updates");
        await host.StopAsync();
        MicroClient.AssertSameBook(MicroClient.TruthAt(TruthLayout.MicroPath(dir.Path, MicroKind.Book, "okx", Okx), last), book);
    }

    [Fact]
    public async Task BinanceDepth_RestSnapshotPlusBufferedDiffs_RebuildTheTruthBook()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(Options(dir.Path));
        using var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/public/ws");
        var frames = new List<string>();
        await SimTestKit.SendAsync(ws, """{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1}""");
        await MicroClient.ReadUntilAsync(ws, frames, t => t == """{"result":null,"id":1}""");
        frames.Clear();

        host.AdvanceTo(Start + 3000);
        host.AdvanceTo(Start + 5050); // between two diffs: the snapshot is newer than the last diff sent
        using var http = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(http, SimulatorEndpoints.Text(host.Endpoints.BinanceRest) + "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
        Assert.Equal(200, status);
        var snapshot = MicroClient.BinanceSnapshot(body, Binance);
        for (var s = 6; s <= 15; s++)
        {
            host.AdvanceTo(Start + s * 1000);
        }

        var last = host.Context.Micro!.Read(Binance, e => e.Published().Seq);
        await MicroClient.ReadUntilAsync(ws, frames, t => t.Contains($"\"u\":{last},", StringComparison.Ordinal));

        // Binance USD-M: drop events with u < lastUpdateId; the first applied has U <= lastUpdateId <= u; then each pu = previous u.
        var book = new OrderBook();
        book.Apply(snapshot);
        long? prevU = null;
        var applied = 0;
        foreach (var e in frames.Select(MicroClient.Parse).Select(MicroClient.BinanceDepth))
        {
            if (e.Seq < snapshot.Seq)
            {
                continue;
            }

            if (prevU is null)
            {
                Assert.True(e.FirstSeq <= snapshot.Seq && snapshot.Seq <= e.Seq, $"first event U {e.FirstSeq} u {e.Seq}, snapshot {snapshot.Seq}");
            }
            else
            {
                Assert.Equal(prevU, e.PrevSeq);
            }

            book.Apply(e);
            prevU = e.Seq;
            applied++;
            Assert.True(ExactDecimal.Parse(book.BestBid!.Px) < ExactDecimal.Parse(book.BestAsk!.Px));
        }

        Assert.True(applied > 50, $"{applied} diffs applied");
        await host.StopAsync();
        MicroClient.AssertSameBook(MicroClient.TruthAt(TruthLayout.MicroPath(dir.Path, MicroKind.Book, "binance", Binance), last), book);
    }

    [Fact]
    public async Task MicroChannels_QuotesLiquidationsDerivatives_FramesAreTheTruthLines()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(Options(dir.Path, seed: 8) with { Rate = 200 });
        using var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        using var pub = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/public/ws");
        using var market = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/market/stream");
        var okxFrames = new List<string>();
        var pubFrames = new List<string>();
        var marketFrames = new List<string>();
        await SimTestKit.SendAsync(okx, $$"""
            {"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"{{Okx}}"},{"channel":"mark-price","instId":"{{Okx}}"},
            {"channel":"funding-rate","instId":"{{Okx}}"},{"channel":"open-interest","instId":"{{Okx}}"},{"channel":"liquidation-orders","instType":"SWAP"}]}
            """);
        var acks = 0;
        await MicroClient.ReadUntilAsync(okx, okxFrames, t => t.Contains("\"event\":\"subscribe\"", StringComparison.Ordinal) && ++acks == 5);
        await SimTestKit.SendAsync(pub, """{"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":1}""");
        await MicroClient.ReadUntilAsync(pub, pubFrames, t => t == """{"result":null,"id":1}""");
        await SimTestKit.SendAsync(market, """{"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s","btcusdt@forceOrder"],"id":2}""");
        await MicroClient.ReadUntilAsync(market, marketFrames, t => t == """{"result":null,"id":2}""");
        okxFrames.Clear();
        pubFrames.Clear();
        marketFrames.Clear();

        for (var s = 1; s <= 120; s++)
        {
            host.AdvanceTo(Start + s * 1000);
        }

        // Read up to the last message of the last second on each connection.
        var okxLastQuote = host.Context.Micro!.Read(Okx, e => e.LastQuoteSeq);
        var binanceLastQuote = host.Context.Micro!.Read(Binance, e => e.LastQuoteSeq);
        // At 120 s the funding-rate push is the last of the second (after mark price and open interest).
        await MicroClient.ReadUntilAsync(okx, okxFrames, t => t.Contains("\"channel\":\"funding-rate\"", StringComparison.Ordinal) &&
            t.Contains($"\"ts\":\"{Start + 120_000}\"", StringComparison.Ordinal));
        await MicroClient.ReadUntilAsync(market, marketFrames, t => t.Contains("markPriceUpdate", StringComparison.Ordinal) &&
            t.Contains($"\"E\":{Start + 120_000},", StringComparison.Ordinal));
        await MicroClient.ReadUntilAsync(pub, pubFrames, t => t.Contains($"\"u\":{binanceLastQuote},", StringComparison.Ordinal));
        await host.StopAsync();
        var quotesTruth = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Quotes, "binance", Binance));
        Assert.Equal(quotesTruth.Length, pubFrames.Count);

        // Binance bookTicker: one per truth quote, same u and strings.
        Assert.True(quotesTruth.Length > 1000, $"{quotesTruth.Length} quotes");
        foreach (var (frame, text) in pubFrames.Select(MicroClient.Parse).Zip(quotesTruth))
        {
            var q = MicroLineReader.Quote(text, out _)!;
            Assert.Equal(q.Seq, frame.GetProperty("u").GetInt64());
            Assert.Equal((q.BidPx, q.BidSz, q.AskPx, q.AskSz),
                (frame.GetProperty("b").GetString(), frame.GetProperty("B").GetString(), frame.GetProperty("a").GetString(), frame.GetProperty("A").GetString()));
        }

        // OKX: every channel's frames against its truth lines.
        var okxRoots = okxFrames.Select(MicroClient.Parse).ToList();
        var okxQuotes = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Quotes, "okx", Okx)).Select(l => MicroLineReader.Quote(l, out _)!)
            .Where(q => q.Seq <= okxLastQuote).ToList();
        var bbo = okxRoots.Where(r => MicroClient.OkxChannel(r) == "bbo-tbt").Select(r => r.GetProperty("data")[0]).ToList();
        Assert.Equal(okxQuotes.Select(q => (q.Seq, q.BidPx, q.AskSz)),
            bbo.Select(d => (d.GetProperty("seqId").GetInt64(), d.GetProperty("bids")[0][0].GetString()!, d.GetProperty("asks")[0][1].GetString()!)));

        var derivatives = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Derivatives, "okx", Okx))
            .Select(l => MicroLineReader.Derivatives(l, out _)!).ToList();
        foreach (var channel in new[] { "mark-price", "funding-rate", "open-interest" })
        {
            var sent = okxRoots.Where(r => MicroClient.OkxChannel(r) == channel).Select(r => r.GetProperty("data")[0]).ToList();
            var truth = derivatives.Where(d => d.Channel == channel).ToList();
            Assert.True(sent.Count > 0, channel);
            Assert.Equal(truth.Count, sent.Count);
            Assert.Equal(truth.Select(d => d.Ts.ToString(System.Globalization.CultureInfo.InvariantCulture)), sent.Select(d => d.GetProperty("ts").GetString()));
            Assert.Equal(truth.Select(d => d.MarkPx ?? d.FundingRate ?? d.OpenInterest),
                sent.Select(d => channel switch
                {
                    "mark-price" => d.GetProperty("markPx").GetString(),
                    "funding-rate" => d.GetProperty("fundingRate").GetString(),
                    _ => d.GetProperty("oi").GetString(),
                }));
        }

        var liquidations = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Liquidations, "okx", Okx)).Select(l => MicroLineReader.Liquidation(l, out _)!).ToList();
        var sentLiquidations = okxRoots.Where(r => MicroClient.OkxChannel(r) == "liquidation-orders")
            .Select(r => r.GetProperty("data")[0].GetProperty("details")[0]).ToList();
        Assert.NotEmpty(liquidations);
        Assert.Equal(liquidations.Select(l => (l.Side, l.Px, l.Sz, l.PosSide)),
            sentLiquidations.Select(d => (d.GetProperty("side").GetString()!, d.GetProperty("bkPx").GetString()!, d.GetProperty("sz").GetString()!, d.GetProperty("posSide").GetString())));

        // Binance /market: markPrice@1s every second with the truth's strings, forceOrder as the truth.
        var marketRoots = marketFrames.Select(MicroClient.Parse).ToList();
        var marks = marketRoots.Where(r => r.GetProperty("stream").GetString() == "btcusdt@markPrice@1s").Select(r => r.GetProperty("data")).ToList();
        var binanceDerivatives = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Derivatives, "binance", Binance))
            .Select(l => MicroLineReader.Derivatives(l, out _)!).ToList();
        Assert.Equal(121, marks.Count); // seconds 0..120, the start included
        Assert.Equal(binanceDerivatives.Where(d => d.Channel == "markPrice").Select(d => (d.MarkPx, d.IndexPx, d.FundingRate, d.NextFundingTime)),
            marks.Select(m => (m.GetProperty("p").GetString(), m.GetProperty("i").GetString(), m.GetProperty("r").GetString(), (long?)m.GetProperty("T").GetInt64())));
        var forced = marketRoots.Where(r => r.GetProperty("stream").GetString() == "btcusdt@forceOrder").Select(r => r.GetProperty("data").GetProperty("o")).ToList();
        var binanceLiquidations = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Liquidations, "binance", Binance))
            .Select(l => MicroLineReader.Liquidation(l, out _)!).ToList();
        Assert.Equal(binanceLiquidations.Select(l => (l.Side.ToUpperInvariant(), l.Px, l.Sz, l.AvgPx)),
            forced.Select(o => (o.GetProperty("S").GetString()!, o.GetProperty("p").GetString()!, o.GetProperty("q").GetString()!, o.GetProperty("ap").GetString())));
        Assert.True(binanceLiquidations.Zip(binanceLiquidations.Skip(1)).All(p => p.Second.Ts - p.First.Ts >= 1000), "forceOrder: at most one a second");
    }

    [Fact]
    public async Task OkxBooks_OnWallTime_UpdatesArriveChainedAndChecksummed()
    {
        // The wall-clock feed (not stepped): wait for the updates themselves, each chained to the one before.
        await using var host = await SimTestKit.StartAsync(new SimulatorOptions { Instruments = [Okx], Rate = 40, Seed = 4, Start = SimTestKit.PastStart, Micro = true });
        using var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(okx, $$"""{"op":"subscribe","args":[{"channel":"books","instId":"{{Okx}}"}]}""");
        var frames = new List<string>();
        var updates = 0;
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"action\":\"update\"", StringComparison.Ordinal) && ++updates == 5);

        var book = new OrderBook();
        long? prev = null;
        foreach (var root in frames.Select(MicroClient.Parse).Where(r => MicroClient.OkxChannel(r) == "books"))
        {
            var (line, prevSeqId, checksum) = MicroClient.OkxBook(root, Okx);
            Assert.Equal(prev ?? -1, prevSeqId);
            book.Apply(line);
            Assert.Equal(MicroMarketTests.IndependentChecksum(book), checksum);
            prev = line.Seq;
        }

        Assert.Equal(5, updates);
    }

    [Fact]
    public async Task BinanceOpenInterest_Rest_AnswersTheTruthOfTheLastSecond()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(Options(dir.Path));
        host.AdvanceTo(Start + 10_500);
        using var http = new HttpClient();
        var (status, body) = await SimTestKit.GetJsonAsync(http, SimulatorEndpoints.Text(host.Endpoints.BinanceRest) + "/fapi/v1/openInterest?symbol=BTCUSDT");
        var (bad, error) = await SimTestKit.GetJsonAsync(http, SimulatorEndpoints.Text(host.Endpoints.BinanceRest) + "/fapi/v1/openInterest?symbol=NOPE");
        await host.StopAsync();

        Assert.Equal(200, status);
        Assert.Equal(Start + 10_000, body.GetProperty("time").GetInt64());
        Assert.Equal("BTCUSDT", body.GetProperty("symbol").GetString());
        var truth = File.ReadAllLines(TruthLayout.MicroPath(dir.Path, MicroKind.Derivatives, "binance", Binance))
            .Select(l => MicroLineReader.Derivatives(l, out _)!).Last(d => d.Channel == "openInterest");
        Assert.Equal(truth.OpenInterest, body.GetProperty("openInterest").GetString());
        Assert.Equal(400, bad);
        Assert.Equal(-1121, error.GetProperty("code").GetInt32());
    }
}
