using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Simulator;
using Pipeline.Simulator.Faults;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Verify;
using Xunit.Abstractions;

namespace Pipeline.Jobs.Tests.Export;

/// <summary>
/// The microstructure chaos test: the exporter binaries record trades, quotes, book, liquidations and derivatives from
/// the simulator while it breaks the book stream (dropped diffs, OKX seqId gaps and corrupt checksums, Binance stale
/// snapshots) and cuts connections; each exporter is SIGKILLed at random moments and restarted, then a final run is
/// stopped gracefully. Afterwards: at 200 random instants per instrument the book reconstructed from the vault is the
/// truth book (top 20 levels, exact strings) or is said to be unknown; every applied book fault and every restart is
/// followed by a resync line; no quote or liquidation is invented or repeated, and none is missing that a connection
/// was sent and could have written (the simulator's per-connection delivery log, <see cref="TruthLayout.DeliveriesDir"/>).
/// </summary>
public sealed class MicroExportCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Data = "trades,quotes,book,liquidations,derivatives";
    private const int Instants = 200;
    private const int Depth = 20;
    private static readonly string[] OkxInstruments = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"];
    private static readonly string[] BinanceInstruments = ["BTCUSDT"];
    private static readonly (string Exchange, string[] InstIds)[] Venues = [("okx", OkxInstruments), ("binance", BinanceInstruments)];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_MicroKilledAtRandomWithBookFaultsAndDisconnects_BookEqualsTruthAndNoQuoteOrLiquidationLost()
    {
        var truth = _dir.File("truth");
        var vault = new VaultLayout(_dir.File("vault"));
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [.. OkxInstruments, .. BinanceInstruments],
            Rate = 100,
            Seed = 12,
            Micro = true,
            // Book faults at random; connections cut at random (disconnect) and at chosen moments (TriggerNowAsync below).
            Faults = FaultSpec.Parse("disconnect=15s,bookdrop=2%,seqgap=0.5%,checksum=0.5%,stalesnap=20%"),
            TruthDir = truth,
        });
        var runs = new List<ExporterRun>();
        var restarts = new Dictionary<string, List<long>>(StringComparer.Ordinal) { ["okx"] = [], ["binance"] = [] };
        try
        {
            // Each round: both exporters run until each has written book lines in this round (in the second round the
            // server also closes every connection once, gracefully), then each is SIGKILLed after a random amount of further
            // work (processor time, which a busy machine does not stretch).
            var random = new Random(5);
            var kills = 0;
            for (var round = 0; round < 3; round++)
            {
                restarts["okx"].Add(Now());
                restarts["binance"].Add(Now());
                using var okx = Start(sim, vault, "okx");
                using var binance = Start(sim, vault, "binance");
                await RecordAsync(vault, okx, binance, $"round {round}");
                if (round == 1)
                {
                    await DisconnectAsync(sim, vault, okx, binance, ConnectionFault.Disconnect, $"round {round}");
                }

                // One exporter (alternately) is killed after its random amount of work, the other at that same moment: both at
                // random points of their recording, and neither left dead while the other works off its budget.
                var (leader, other) = round % 2 == 0 ? (okx, binance) : (binance, okx);
                var killed = new[] { await KillMidRecordingAsync(leader, TimeSpan.FromMilliseconds(random.Next(0, 400))), KillNow(other) };
                kills += killed.Sum();
                runs.AddRange(await EndedRunsAsync(sim, truth, runs, killed: true));
            }

            Assert.True(kills == 6, $"only {kills} of 6 kills interrupted a running exporter");

            // The final run: a graceful server close and an abort of every connection, then a graceful stop.
            restarts["okx"].Add(Now());
            restarts["binance"].Add(Now());
            using (var okx = Start(sim, vault, "okx"))
            using (var binance = Start(sim, vault, "binance"))
            {
                await RecordAsync(vault, okx, binance, "the final run");
                await DisconnectAsync(sim, vault, okx, binance, ConnectionFault.Disconnect, "the final run");
                await DisconnectAsync(sim, vault, okx, binance, ConnectionFault.Abort, "the final run");
                await RecordAsync(vault, okx, binance, "the final run's last stretch");
                Assert.True(await okx.TerminateAsync(PipelineProcess.DefaultBound) == 0, okx.Describe());
                Assert.True(await binance.TerminateAsync(PipelineProcess.DefaultBound) == 0, binance.Describe());
                runs.AddRange(await EndedRunsAsync(sim, truth, runs, killed: false));
            }
        }
        finally
        {
            await sim.DisposeAsync(); // flushes the truth
        }

        var faults = File.ReadAllLines(TruthLayout.BookFaultsPath(truth)).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<FaultLine>(l, JsonOptions)!).ToList();
        output.WriteLine($"{faults.Count} book faults applied; {runs.Count} exporter runs, {runs.Sum(r => r.Connections.Count)} connections with quotes or liquidations");
        foreach (var (exchange, instIds) in Venues)
        {
            foreach (var instId in instIds)
            {
                await CheckBookAsync(vault, truth, exchange, instId, faults, restarts[exchange]);
                CheckDelivered(vault, truth, exchange, instId, MicroKind.Quotes, runs);
                CheckDelivered(vault, truth, exchange, instId, MicroKind.Liquidations, runs);
            }
        }

        foreach (var result in new MicroVerifier(vault).Verify(new VerifyOptions()))
        {
            output.WriteLine($"verify {result.Kind} {result.Exchange} {result.InstId}: {result.Lines} lines, {result.ResyncCount} resyncs, breaks {result.ContinuityBreaks}, " +
                $"duplicates {result.Duplicates}; {string.Join(" | ", result.Problems.Take(3))}");
            Assert.True(result.IsClean, $"{result.Kind} {result.Exchange} {result.InstId}: {string.Join(" | ", result.Problems)}");
        }
    }

    /// <summary>
    /// The book at random instants against the truth, every fault and restart followed by a resync, and a few instants
    /// through <c>pipeline book</c> as a user runs it.
    /// </summary>
    private async Task CheckBookAsync(VaultLayout vault, string truth, string exchange, string instId, List<FaultLine> faults, List<long> restarts)
    {
        var recorded = ReadVault(vault, MicroKind.Book, exchange, instId).Select(l => MicroLineReader.Book(l, out _)!).ToList();
        var truthLines = ReadLines(TruthLayout.MicroPath(truth, MicroKind.Book, exchange, instId)).Select(l => MicroLineReader.Book(l, out _)!).ToList();
        var resyncs = recorded.Where(r => r.Type == BookRecordType.Resync).ToList();
        output.WriteLine($"{exchange} {instId}: {recorded.Count} book lines ({recorded.Count(r => r.Type == BookRecordType.Snapshot)} snapshots, {resyncs.Count} resyncs: " +
            string.Join(", ", resyncs.GroupBy(r => r.Reason!.Split(':')[0]).Select(g => $"{g.Count()} {g.Key}")) + $"); truth {truthLines.Count} lines");

        output.WriteLine($"{exchange} {instId}: span {(recorded[^1].Ts - recorded[0].Ts) / 1000.0:F1} s; unknown before resyncs: " + string.Join(", ",
            Enumerable.Range(1, recorded.Count - 1).Where(i => recorded[i].Type == BookRecordType.Resync)
                .GroupBy(i => recorded[i].Reason!.Split(':')[0]).Select(g => $"{g.Key} {g.Sum(i => recorded[i].Ts - recorded[i - 1].Ts) / 1000.0:F1} s")) +
            "; resync to snapshot: " + (Enumerable.Range(1, recorded.Count - 1).Where(i => recorded[i].Type == BookRecordType.Snapshot && recorded[i - 1].Type == BookRecordType.Resync)
                .Sum(i => recorded[i].Ts - recorded[i - 1].Ts) / 1000.0).ToString("F1", CultureInfo.InvariantCulture) + " s");

        // Every applied break after the first recorded snapshot: the line after the last one before the break is a resync
        // (the break is never bridged). A stale snapshot is refused before it starts a book, so it needs none of its own.
        var firstSnapshot = recorded.FindIndex(r => r.Type == BookRecordType.Snapshot);
        var lastSeq = recorded.Where(r => r.Seq is not null).Max(r => r.Seq!.Value);
        var checkedFaults = 0;
        foreach (var fault in faults.Where(f => f.InstId == instId && f.Fault != "StaleSnapshot" && f.Seq > recorded[firstSnapshot].Seq && f.Seq < lastSeq))
        {
            var before = recorded.FindLastIndex(r => r.Seq is { } s && s < fault.Seq);
            Assert.True(before + 1 < recorded.Count && recorded[before + 1].Type == BookRecordType.Resync,
                $"{exchange} {instId}: {fault.Fault} at seq {fault.Seq} ({fault.Ts}): the line after seq {recorded[before].Seq} is a {recorded[before + 1].Type} (seq {recorded[before + 1].Seq}), not a resync");
            checkedFaults++;
        }

        // Every restart after the first: the restarted recorder's first line is a resync, or the dead one's last line was.
        // Its downtime, from the last line the killed recorder wrote (what it had not written died with it) to the restarted
        // recorder's first snapshot, is a span where the book must be unknown: the market moved meanwhile.
        var downtimes = new List<(long From, long To)>();
        foreach (var start in restarts.Skip(1))
        {
            var first = recorded.FindIndex(r => r.RecvTs >= start);
            Assert.True(first > 0 && (recorded[first].Type == BookRecordType.Resync || recorded[first - 1].Type == BookRecordType.Resync),
                $"{exchange} {instId}: the run started at {start} begins without a resync line (line {first}: {recorded.ElementAtOrDefault(first)?.Type})");
            var snapshot = recorded.FindIndex(first, r => r.Type == BookRecordType.Snapshot);
            downtimes.Add((recorded[first - 1].Ts, snapshot < 0 ? long.MaxValue : recorded[snapshot].Ts));
            output.WriteLine($"{exchange} {instId}: restarted at {start}, +{start - recorded[first - 1].Ts} ms after the last line before (received +{start - recorded[first - 1].RecvTs} ms before; median lag {recorded.Where(r => r.Type == BookRecordType.Update).Select(r => r.RecvTs - r.Ts).Order().ElementAt(recorded.Count(r => r.Type == BookRecordType.Update) / 2)} ms), first line {recorded[first].Type} received at +{recorded[first].RecvTs - start} ms, snapshot +{(snapshot < 0 ? -1 : recorded[snapshot].RecvTs - start)} ms");
        }

        Assert.True(checkedFaults >= 1, $"{exchange} {instId}: no book fault fell inside the recording");
        // The server cut the book's connection three times while it was live (a close and an abort): each is a resync.
        Assert.True(resyncs.Count(r => r.Reason!.StartsWith("reconnect", StringComparison.Ordinal)) >= 2,
            $"{exchange} {instId}: fewer than 2 reconnect resyncs after 3 cuts of the book's connection");

        // 200 random instants over the recorded span (first snapshot to last line); the truth book at an instant is every
        // truth line at or before it (snapshot, then every published update, dropped ones included).
        var from = recorded[firstSnapshot].Ts;
        var to = recorded[^1].Ts;
        var random = new Random(HashCode.Combine(instId.Length, exchange.Length, 17));
        var instants = Enumerable.Range(0, Instants).Select(_ => from + (long)(random.NextDouble() * (to - from))).Order().ToList();
        var reconstructor = new BookReconstructor(vault);
        var expected = new OrderBook();
        var next = 0;
        var known = 0;
        var ahead = 0;
        var down = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var checkedByCli = 0;
        foreach (var at in instants)
        {
            while (next < truthLines.Count && truthLines[next].Ts <= at)
            {
                expected.Apply(truthLines[next++]);
            }

            var fromVault = reconstructor.At(exchange, instId, at);
            if (downtimes.Any(d => at > d.From && at < d.To))
            {
                // No recorder ran (or its book was not yet known again): whatever the vault's last line says, the book is unknown.
                Assert.True(fromVault.Book is null, $"{exchange} {instId} at {at}: a book is given inside a recorder's downtime ({string.Join(", ", downtimes)})");
                down++;
                continue;
            }

            if (fromVault.Book is null)
            {
                var reason = fromVault.Unknown!.Contains("before the resync", StringComparison.Ordinal) ? "before a resync"
                    : fromVault.Unknown.Contains("unknown from", StringComparison.Ordinal) ? "inside a resync window" : fromVault.Unknown;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                continue;
            }

            if (fromVault.Book.Seq > expected.Seq && exchange == "binance" && fromVault.UpdatesApplied == 0 && next < truthLines.Count &&
                truthLines[next].FirstSeq <= fromVault.Book.Seq && fromVault.Book.Seq <= truthLines[next].Seq)
            {
                // A Binance REST snapshot is the book between two diff messages (lastUpdateId inside the next diff's U..u): finer
                // than the published stream the truth holds, so the truth has no book at its seq. The diff that follows is applied
                // over it and from then on the books must agree (the instants after it check that).
                ahead++;
                continue;
            }

            // A book said to be known must be the truth's: a difference is a product bug.
            Assert.True(expected.Seq == fromVault.Book.Seq, $"{exchange} {instId} at {at}: truth seq {expected.Seq}, vault seq {fromVault.Book.Seq} (snapshot {fromVault.SnapshotTs}, {fromVault.UpdatesApplied} updates)");
            Assert.Equal(expected.Bids(Depth), fromVault.Book.Bids(Depth));
            Assert.Equal(expected.Asks(Depth), fromVault.Book.Asks(Depth));
            known++;
            if (known % 60 == 1)
            {
                await CheckCliAsync(vault, exchange, instId, at, expected);
                checkedByCli++;
            }
        }

        output.WriteLine($"{exchange} {instId}: {known}/{Instants} instants known and equal to the truth ({checkedByCli} through pipeline book), {ahead} a REST snapshot between diffs, " +
            $"{down} inside a recorder's downtime (unknown); other unknown: " +
            string.Join(", ", reasons.Select(r => $"{r.Value} {r.Key}")) + $"; {checkedFaults} faults resynced, {restarts.Count - 1} restarts");
        // Over the whole span 110–170 of 200 instants are known (measured): three kills in ~35 s of recording leave 15–25 % of
        // it in downtimes (the unwritten second before a kill, a process start on a busy machine, the first snapshot), so
        // 150/200 would need a much longer test. Outside the downtimes a book is unknown only from the last line before a
        // break to its resync, and from the resync to the new snapshot (an OKX resubscribe; a Binance REST round trip, longer
        // when a stale snapshot is refused): with a book fault every few seconds, OKX 75–90 %, Binance 60–75 % of those
        // instants are known. Half is the bound: it fails a reconstructor that gives up on whole stretches, not a slow machine.
        var live = Instants - down;
        Assert.True(known + ahead >= live / 2, $"{exchange} {instId}: only {known + ahead} of the {live} instants outside a downtime had a known book");
    }

    /// <summary>The same book through the CLI (json, top 20): what a user sees.</summary>
    private static async Task CheckCliAsync(VaultLayout vault, string exchange, string instId, long at, OrderBook expected)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await PipelineCli.RunAsync(["book", "--vault", vault.Root, "--exchange", exchange, "--inst", instId,
            "--at", at.ToString(CultureInfo.InvariantCulture), "--depth", Depth.ToString(CultureInfo.InvariantCulture), "--format", "json"], stdout, stderr);
        Assert.True(code == 0, $"pipeline book at {at}: exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout.ToString());
        List<BookLevel> Levels(string side) =>
            [.. json.RootElement.GetProperty(side).EnumerateArray().Select(l => new BookLevel(l[0].GetString()!, l[1].GetString()!))];
        Assert.Equal(expected.Seq, json.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(expected.Bids(Depth), Levels("bids"));
        Assert.Equal(expected.Asks(Depth), Levels("asks"));
    }

    /// <summary>
    /// Quotes or liquidations: each vault record is a truth record (every field but recvTs) and none is there twice; and for
    /// each connection, what the vault holds of what it was sent is a prefix (a kill or a client-side close loses only the
    /// tail in flight or not yet written, nothing in the middle); a connection the server closed gracefully delivered
    /// everything before its close frame, so all of it is there, unless its recorder was killed before writing it (then
    /// everything that recorder received later is missing too: the unwritten tail of a dead process).
    /// </summary>
    private void CheckDelivered(VaultLayout vault, string truth, string exchange, string instId, MicroKind kind, List<ExporterRun> runs)
    {
        var truthLines = ReadLines(TruthLayout.MicroPath(truth, kind, exchange, instId)).Select(l => Identity(kind, l)).ToList();
        var index = new Dictionary<string, Queue<long>>(StringComparer.Ordinal);
        for (var i = 0; i < truthLines.Count; i++)
        {
            (index.TryGetValue(truthLines[i], out var q) ? q : index[truthLines[i]] = new Queue<long>()).Enqueue(i);
        }

        var found = new HashSet<long>();
        foreach (var line in ReadVault(vault, kind, exchange, instId))
        {
            var key = Identity(kind, line);
            Assert.True(index.TryGetValue(key, out var lines), $"{exchange} {instId} {kind}: recorded but not in the truth (or not with these fields): {line}");
            Assert.True(lines.Count > 0, $"{exchange} {instId} {kind}: recorded more often than published: {line}");
            found.Add(lines.Dequeue());
        }

        long sent = 0, tail = 0, deadTail = 0;
        var graceful = 0;
        foreach (var run in runs.Where(r => r.Exchange == exchange))
        {
            var streams = run.Connections.Select(c => (c.End, Lines: c.Sent.Where(s => s.Kind == MicroKinds.Name(kind) && s.InstId == instId).Select(s => s.Line).ToList())).ToList();
            for (var c = 0; c < streams.Count; c++)
            {
                var (end, lines) = streams[c];
                sent += lines.Count;
                var firstMissing = lines.FindIndex(l => !found.Contains(l));
                if (firstMissing < 0)
                {
                    graceful += end == "server-close" && lines.Count > 0 ? 1 : 0;
                    continue;
                }

                var after = lines.Skip(firstMissing).Where(found.Contains).ToList();
                Assert.True(after.Count == 0, $"{exchange} {instId} {kind}: connection {run.Connections[c].File} ({end}) lost truth line {lines[firstMissing]} but holds later ones ({string.Join(",", after.Take(5))}): lost in the middle");
                tail += lines.Count - firstMissing;
                if (end == "server-close")
                {
                    // Only as the unwritten tail of a recorder that was killed: nothing it received later was written either.
                    var later = streams.Skip(c + 1).SelectMany(s => s.Lines).Where(found.Contains).ToList();
                    Assert.True(run.Killed && later.Count == 0,
                        $"{exchange} {instId} {kind}: connection {run.Connections[c].File} was closed by the server after sending truth line {lines[firstMissing]}, " +
                        $"which is not in the vault although its recorder {(run.Killed ? "wrote later ones: " + string.Join(",", later.Take(5)) : "was stopped gracefully")}");
                    deadTail += lines.Count - firstMissing;
                }
            }
        }

        output.WriteLine($"{exchange} {instId} {kind}: {found.Count} recorded of {truthLines.Count} published; {sent} sent over {runs.Count(r => r.Exchange == exchange)} runs, " +
            $"{tail} lost as a connection's tail ({deadTail} of them after a graceful server close, unwritten by a killed recorder), {graceful} server-closed connections complete");
        Assert.True(found.Count > 0 || kind == MicroKind.Liquidations, $"{exchange} {instId}: no {kind} recorded");
    }

    /// <summary>What identifies a record: every field but recvTs (quotes carry their seq among them).</summary>
    private static string Identity(MicroKind kind, string line) => kind == MicroKind.Quotes
        ? ((MicroLineReader.Quote(line, out var qe) ?? throw new InvalidDataException($"{qe}: {line}")) with { RecvTs = 0 }).ToString()
        : ((MicroLineReader.Liquidation(line, out var le) ?? throw new InvalidDataException($"{le}: {line}")) with { RecvTs = 0 }).ToString();

    private static PipelineProcess Start(SimulatorHost sim, VaultLayout vault, string exchange) => exchange == "okx"
        ? PipelineProcess.Start("export", "--exchange", "okx", "--inst", string.Join(',', OkxInstruments), "--data", Data, "--vault", vault.Root,
            "--log-level", "warning", "--okx-ws-public", sim.Endpoints.OkxWsPublic.ToString(), "--okx-ws-business", sim.Endpoints.OkxWsBusiness.ToString(),
            "--okx-rest", SimulatorEndpoints.Text(sim.Endpoints.OkxRest))
        : PipelineProcess.Start("export", "--exchange", "binance", "--inst", string.Join(',', BinanceInstruments), "--data", Data, "--vault", vault.Root,
            "--log-level", "warning", "--binance-ws", SimulatorEndpoints.Text(sim.Endpoints.BinanceWs), "--binance-rest", SimulatorEndpoints.Text(sim.Endpoints.BinanceRest));

    /// <summary>Both exporters record some more book lines (a snapshot and updates after whatever came before).</summary>
    private static async Task RecordAsync(VaultLayout vault, PipelineProcess okx, PipelineProcess binance, string what)
    {
        var okxBytes = BookBytes(vault, "okx");
        var binanceBytes = BookBytes(vault, "binance");
        await okx.WaitWhileRunningAsync(() => BookBytes(vault, "okx") > okxBytes + 20_000, $"{what}: the okx exporter to record book lines");
        await binance.WaitWhileRunningAsync(() => BookBytes(vault, "binance") > binanceBytes + 10_000, $"{what}: the binance exporter to record book lines");
    }

    /// <summary>The server cuts every connection of both exchanges, then both exporters reconnect and record again.</summary>
    private static async Task DisconnectAsync(SimulatorHost sim, VaultLayout vault, PipelineProcess okx, PipelineProcess binance, ConnectionFault fault, string what)
    {
        Assert.True(await sim.Context.Faults.TriggerNowAsync(fault, "okx") > 0, $"{what}: no okx connection took the {fault}");
        Assert.True(await sim.Context.Faults.TriggerNowAsync(fault, "binance") > 0, $"{what}: no binance connection took the {fault}");
        await RecordAsync(vault, okx, binance, $"{what} after a {fault}");
    }

    private static long Now() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Once every connection of the exporters just ended has closed on the server too (its delivery log complete), the
    /// runs they belonged to: each new delivery log by its exchange, in the order the connections opened.
    /// </summary>
    private static async Task<List<ExporterRun>> EndedRunsAsync(SimulatorHost sim, string truth, List<ExporterRun> known, bool killed)
    {
        var closed = await Waits.UntilAsync(PipelineProcess.Sampled(() => sim.Context.Closes.Count >= sim.Context.Connections), TimeSpan.FromSeconds(20),
            "the simulator to see every connection of the ended exporters closed", throwOnTimeout: false);
        Assert.True(closed, $"closes {sim.Context.Closes.Count}, connections {sim.Context.Connections}, open {sim.Context.Faults.OpenConnections}");
        var seen = known.SelectMany(r => r.Connections).Select(c => c.File).ToHashSet(StringComparer.Ordinal);
        var dir = TruthLayout.DeliveriesDir(truth);
        var fresh = (Directory.Exists(dir) ? Directory.GetFiles(dir, "*.jsonl") : []).Order(StringComparer.Ordinal)
            .Where(f => !seen.Contains(Path.GetFileName(f))).Select(ReadDelivery).ToList();
        return [.. fresh.GroupBy(c => c.Exchange).Select(g => new ExporterRun(g.Key, killed, [.. g]))];
    }

    private static Connection ReadDelivery(string path)
    {
        var lines = ReadLines(path);
        using var header = JsonDocument.Parse(lines[0]);
        using var last = JsonDocument.Parse(lines[^1]);
        var end = last.RootElement.TryGetProperty("end", out var e) ? e.GetString()! : throw new InvalidDataException($"{path}: no end line");
        var sent = lines.Skip(1).SkipLast(1).Select(l => JsonSerializer.Deserialize<Sent>(l, JsonOptions)!).ToList();
        return new Connection(Path.GetFileName(path), header.RootElement.GetProperty("exchange").GetString()!, end, sent);
    }

    private static List<string> ReadVault(VaultLayout vault, MicroKind kind, string exchange, string instId)
    {
        var lines = new List<string>();
        foreach (var day in MicroDayFiles.Days(vault, kind, exchange, instId))
        {
            lines.AddRange(ReadLines(vault.MicroDayJsonl(kind, exchange, instId, day)));
        }

        return lines;
    }

    private static List<string> ReadLines(string path) => File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];

    /// <summary>The bytes of an exchange's book files so far.</summary>
    private static long BookBytes(VaultLayout vault, string exchange)
    {
        var dir = vault.MicroExchangeDir(MicroKind.Book, exchange);
        try
        {
            return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.jsonl", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>SIGKILLs the exporter now; 1 when it was still running.</summary>
    private static int KillNow(PipelineProcess process)
    {
        var running = !process.HasExited;
        process.Kill();
        return running && process.ExitCode != 0 ? 1 : 0;
    }

    /// <summary>SIGKILLs the exporter after it has used <paramref name="work"/> more processor time; 1 when it was still running.</summary>
    private static async Task<int> KillMidRecordingAsync(PipelineProcess process, TimeSpan work)
    {
        var cpu = process.CpuTime ?? TimeSpan.Zero;
        var budget = cpu + work;
        await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            cpu = process.CpuTime ?? cpu;
            return cpu >= budget || process.HasExited;
        }, TimeSpan.FromMilliseconds(5)), PipelineProcess.DefaultBound, $"the exporter to use {work.TotalMilliseconds:F0} ms more processor time");
        var running = !process.HasExited;
        process.Kill();
        return running && process.ExitCode != 0 ? 1 : 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record FaultLine(string Exchange, string InstId, string Fault, long Ts, long Seq, long StreamSeq);

    private sealed record Sent(string Kind, string InstId, long Line);

    private sealed record Connection(string File, string Exchange, string End, List<Sent> Sent);

    /// <summary>One exporter process: its connections that carried quotes or liquidations, in the order they opened.</summary>
    private sealed record ExporterRun(string Exchange, bool Killed, List<Connection> Connections);
}
