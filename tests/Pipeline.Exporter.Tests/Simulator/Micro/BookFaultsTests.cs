using System.Net.WebSockets;
using Pipeline.Simulator;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;

namespace Pipeline.Exporter.Tests.Simulator.Micro;

/// <summary>
/// Book faults, triggered at a chosen moment or drawn from the seed: a client following the documented rules finds exactly
/// the breaks the simulator announces, nothing else, and the same seed gives the same frames and faults.
/// </summary>
[Collection(SocketTestGroup.Collection)]
public sealed class BookFaultsTests
{
    private const string Okx = "BTC-USDT-SWAP";
    private const string Binance = "BTCUSDT";
    private static readonly long Start = SimTestKit.PastStart.ToUnixTimeMilliseconds();

    [Fact]
    public async Task BookFaults_Okx_ChecksumSeqGapAndDrop_ClientFindsExactlyTheAnnouncedBreaks()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path));
        var frames = new List<string>();
        using var okx = await SubscribeOkxBooksAsync(host, frames);
        var now = Start;
        async Task<BookFaultEvent> FaultAsync(BookFault fault)
        {
            var applied = host.Faults.TriggerNowAsync(fault, Okx);
            host.AdvanceTo(now += 1000);
            var e = await applied.WaitAsync(SimTestKit.Bound);
            host.AdvanceTo(now += 1000);
            return e;
        }

        host.AdvanceTo(now += 2000);
        var checksum = await FaultAsync(BookFault.CorruptChecksum);
        var seqGap = await FaultAsync(BookFault.SeqGap);
        var drop = await FaultAsync(BookFault.DropDiff);
        var last = host.Context.Micro!.Read(Okx, e => e.Published().Seq);
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains($"\"seqId\":{last}}}", StringComparison.Ordinal));
        await host.StopAsync();

        Assert.Equal([checksum, seqGap, drop], host.Context.Micro.FaultsApplied);
        Assert.Equal((BookFault.CorruptChecksum, BookFault.SeqGap, BookFault.DropDiff), (checksum.Fault, seqGap.Fault, drop.Fault));

        // The client: chain by prevSeqId, verify each checksum; it resyncs (here: from the truth) after a break.
        var truthPath = TruthLayout.MicroPath(dir.Path, MicroKind.Book, "okx", Okx);
        var book = new OrderBook();
        var breaks = new List<(string Kind, long Seq)>();
        var received = new List<long>();
        long? prev = null;
        foreach (var root in frames.Select(MicroClient.Parse).Where(r => MicroClient.OkxChannel(r) == "books"))
        {
            var (line, prevSeqId, sum) = MicroClient.OkxBook(root, Okx);
            received.Add(line.Seq!.Value);
            if (line.Type == BookRecordType.Update && prevSeqId != prev)
            {
                breaks.Add(("gap", prevSeqId));
                book = MicroClient.TruthAt(truthPath, TruthSeqBefore(truthPath, line.Seq!.Value));
            }

            book.Apply(line);
            if (MicroMarketTests.IndependentChecksum(book) != sum)
            {
                breaks.Add(("checksum", line.Seq!.Value));
                book = MicroClient.TruthAt(truthPath, line.Seq!.Value);
            }

            prev = line.Seq;
        }

        // The checksum break names the corrupted update; the seqId gap names a prevSeqId one past the real one; the drop is
        // seen as the next update naming the dropped seqId, which never arrived.
        Assert.Equal([("checksum", checksum.Seq), ("gap", SeqBefore(received, seqGap.Seq) + 1), ("gap", drop.Seq)], breaks);
        Assert.DoesNotContain(drop.Seq, received);
        var truthSeqs = File.ReadLines(truthPath).Select(l => MicroLineReader.Book(l, out _)!).Where(l => l.Type == BookRecordType.Update)
            .Select(l => l.Seq!.Value).Where(s => s <= last).ToList();
        Assert.Equal(truthSeqs.Where(s => s != drop.Seq), received.Skip(1)); // every update but the dropped one, after the snapshot
        MicroClient.AssertSameBook(MicroClient.TruthAt(truthPath, last), book);
    }

    [Fact]
    public async Task BookFaults_Binance_DropDiff_OnePuBreakAtTheDroppedU()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path));
        using var ws = await SubscribeBinanceDepthAsync(host);
        host.AdvanceTo(Start + 2000);
        var applied = host.Faults.TriggerNowAsync(BookFault.DropDiff, Binance);
        host.AdvanceTo(Start + 3000);
        var drop = await applied.WaitAsync(SimTestKit.Bound);
        host.AdvanceTo(Start + 5000);
        var last = host.Context.Micro!.Read(Binance, e => e.Published().Seq);
        var frames = new List<string>();
        await MicroClient.ReadUntilAsync(ws, frames, t => t.Contains($"\"u\":{last},", StringComparison.Ordinal));

        var events = frames.Select(MicroClient.Parse).Select(MicroClient.BinanceDepth).ToList();
        var breaks = events.Zip(events.Skip(1)).Where(p => p.Second.PrevSeq != p.First.Seq).Select(p => p.Second).ToList();
        var gap = Assert.Single(breaks);
        Assert.Equal(drop.Seq, gap.PrevSeq);
        Assert.DoesNotContain(events, e => e.Seq == drop.Seq);
        Assert.Equal(BookFault.DropDiff, Assert.Single(host.Context.Micro.FaultsApplied).Fault);
        Assert.Throws<ArgumentException>(() => { _ = host.Faults.TriggerNowAsync(BookFault.CorruptChecksum, Binance); });
        Assert.Throws<ArgumentException>(() => { _ = host.Faults.TriggerNowAsync(BookFault.StaleSnapshot, Okx); });
    }

    [Fact]
    public async Task BookFaults_Binance_StaleSnapshot_LastUpdateIdOlderThanTheStreamAndATrueOlderBook()
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path));
        for (var s = 1; s <= 5; s++)
        {
            host.AdvanceTo(Start + s * 1000);
        }

        var url = SimulatorEndpoints.Text(host.Endpoints.BinanceRest) + "/fapi/v1/depth?symbol=BTCUSDT&limit=1000";
        using var http = new HttpClient();
        var applied = host.Faults.TriggerNowAsync(BookFault.StaleSnapshot, Binance);
        var (_, staleBody) = await SimTestKit.GetJsonAsync(http, url);
        var stale = await applied.WaitAsync(SimTestKit.Bound);
        var (_, freshBody) = await SimTestKit.GetJsonAsync(http, url);
        var streamSeq = host.Context.Micro!.Read(Binance, e => e.Published().Seq);
        await host.StopAsync();

        var snapshot = MicroClient.BinanceSnapshot(staleBody, Binance);
        Assert.Equal(stale.Seq, snapshot.Seq);
        Assert.Equal(streamSeq, stale.StreamSeq);
        Assert.True(snapshot.Seq < streamSeq, $"stale lastUpdateId {snapshot.Seq}, stream {streamSeq}");
        Assert.True(snapshot.Ts <= Start + 4000, $"stale book of {snapshot.Ts}");
        Assert.Equal(streamSeq, freshBody.GetProperty("lastUpdateId").GetInt64()); // only the one request was stale
        var truth = MicroClient.TruthAt(TruthLayout.MicroPath(dir.Path, MicroKind.Book, "binance", Binance), snapshot.Seq!.Value);
        var served = new OrderBook();
        served.Apply(snapshot);
        MicroClient.AssertSameBook(truth, served);
    }

    [Fact]
    public async Task BookFaults_SameSeed_SameFramesAndSameFaults()
    {
        var one = await RunScheduledAsync(seed: 6);
        var two = await RunScheduledAsync(seed: 6);
        var other = await RunScheduledAsync(seed: 7);

        Assert.True(one.Faults.Count >= 5, $"{one.Faults.Count} faults");
        Assert.Contains(one.Faults, f => f.Fault == BookFault.DropDiff);
        Assert.Contains(one.Faults, f => f.Fault == BookFault.SeqGap);
        Assert.Contains(one.Faults, f => f.Fault == BookFault.CorruptChecksum);
        Assert.Equal(one.Frames, two.Frames);
        Assert.Equal(one.Faults, two.Faults);
        Assert.NotEqual(one.Frames, other.Frames);
    }

    private static async Task<(List<string> Frames, List<BookFaultEvent> Faults)> RunScheduledAsync(ulong seed)
    {
        using var dir = new TempDir();
        await using var host = await SimTestKit.StartAsync(MicroChannelsTests.Options(dir.Path, seed, "bookdrop=3%,seqgap=2%,checksum=2%"));
        var frames = new List<string>();
        using var okx = await SubscribeOkxBooksAsync(host, frames);
        using var binance = await SubscribeBinanceDepthAsync(host);
        var now = Start;
        for (var s = 1; s <= 20; s++)
        {
            host.AdvanceTo(now += 1000);
        }

        // Until the last message of each stream was sent (not dropped), so the client knows where to stop.
        bool LastDropped(string instId) =>
            host.Context.Micro!.FaultsApplied.Any(f => f.InstId == instId && f.Fault == BookFault.DropDiff && f.Seq == host.Context.Micro.Read(instId, e => e.Published().Seq));
        while (LastDropped(Okx) || LastDropped(Binance))
        {
            host.AdvanceTo(now += 100);
        }

        var okxLast = host.Context.Micro!.Read(Okx, e => e.Published().Seq);
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains($"\"seqId\":{okxLast}}}", StringComparison.Ordinal));
        var binanceLast = host.Context.Micro.Read(Binance, e => e.Published().Seq);
        await MicroClient.ReadUntilAsync(binance, frames, t => t.Contains($"\"u\":{binanceLast},", StringComparison.Ordinal));
        await host.StopAsync();
        var fromFile = File.ReadAllLines(TruthLayout.BookFaultsPath(dir.Path));
        Assert.Equal(host.Context.Micro.FaultsApplied.Count, fromFile.Length);
        return (frames, [.. host.Context.Micro.FaultsApplied]);
    }

    /// <summary>Subscribes to OKX books; <paramref name="frames"/> gets what came up to the snapshot (the ack, the snapshot).</summary>
    private static async Task<ClientWebSocket> SubscribeOkxBooksAsync(SimulatorHost host, List<string> frames)
    {
        var okx = await SimTestKit.ConnectAsync(host.Endpoints.OkxWsPublic.AbsoluteUri);
        await SimTestKit.SendAsync(okx, $$"""{"op":"subscribe","args":[{"channel":"books","instId":"{{Okx}}"}]}""");
        await MicroClient.ReadUntilAsync(okx, frames, t => t.Contains("\"action\":\"snapshot\"", StringComparison.Ordinal));
        return okx;
    }

    private static async Task<ClientWebSocket> SubscribeBinanceDepthAsync(SimulatorHost host)
    {
        var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/public/ws");
        await SimTestKit.SendAsync(ws, """{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1}""");
        await MicroClient.ReadUntilAsync(ws, [], t => t == """{"result":null,"id":1}""");
        return ws;
    }

    private static long SeqBefore(List<long> received, long seq) => received[received.IndexOf(seq) - 1];

    private static long TruthSeqBefore(string truthPath, long seq) =>
        File.ReadLines(truthPath).Select(l => MicroLineReader.Book(l, out _)!).TakeWhile(l => l.Seq < seq).Last().Seq!.Value;
}
