using System.CommandLine;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Jobs.Cli;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Spectre.Console;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// <c>pipeline bench micro</c>: the microstructure recorder. Book-update ingest per venue (frames in memory → the
/// recorder's real path, <see cref="MicroRecorder.Frame"/>: parse, sequence, append to a real file, on one thread),
/// with bytes allocated per update, against peers on the same frames (a JsonDocument parse, a plain copy of the bytes
/// to a file); OKX with non-zero checksums (the record path with the top-25 book, as before 23 June 2026) separately;
/// memory per instrument (a recorder of N instruments, all kinds, fed the simulator's busy market); and vault growth
/// per instrument-day per kind (the simulator's busy market recorded for some simulated minutes, scaled to a day).
/// The frames are the simulator's: its book changes (levels per update as it generates them), its wire writers.
/// </summary>
public static class MicroIngestBench
{
    private static readonly Option<int> Updates = new("--updates") { Description = "Book updates per venue in the ingest runs (default 250,000; the frames are held in memory)", DefaultValueFactory = _ => 250_000 };
    private static readonly Option<int> ChecksumUpdates = new("--checksum-updates") { Description = "OKX updates with non-zero checksums (default 20,000; 0 skips)", DefaultValueFactory = _ => 20_000 };
    private static readonly Option<int> Instruments = new("--instruments") { Description = "Instruments in the memory run (default 50; 0 skips)", DefaultValueFactory = _ => 50 };
    private static readonly Option<double> GrowthMinutes = new("--growth-minutes") { Description = "Simulated minutes of the busy market recorded per venue for the vault growth, scaled to a day (default 60; 0 skips)", DefaultValueFactory = _ => 60 };
    private static readonly Option<int> MaxLevels = new("--max-levels") { Description = "Keep at most this many changed levels per update (default 0: as the simulator generates them)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Dir = new("--dir") { Description = "Keep the run's files in a new folder under this directory (default: a temp folder, deleted afterwards)" };

    /// <summary>2026-01-01 00:00 UTC: every run's event time starts here.</summary>
    private const long StartMs = 1_767_225_600_000L;

    /// <summary>Distinct book changes drawn from the simulator for the ingest frames (they are replayed with new sequence numbers).</summary>
    private const int SampleMinutes = 10;

    public static Command Create()
    {
        var command = new Command("micro", "Measure the microstructure recorder: book-update ingest and allocations per update vs peers, OKX checksum path, memory per instrument, vault growth per instrument-day");
        command.Options.Add(Updates);
        command.Options.Add(ChecksumUpdates);
        command.Options.Add(Instruments);
        command.Options.Add(GrowthMinutes);
        command.Options.Add(MaxLevels);
        command.Options.Add(Dir);
        CommandAction.Set(command, Run, fileLog: false);
        return command;
    }

    /// <summary>One measured ingest row.</summary>
    public sealed record Row(string Name, long Updates, TimeSpan Elapsed, double BytesPerUpdate, string Note)
    {
        public double PerSecond => Updates / Elapsed.TotalSeconds;

        public double NsPerUpdate => Elapsed.TotalNanoseconds / Updates;
    }

    /// <summary>Memory of a recorder per instrument.</summary>
    public sealed record Memory(string Exchange, int Instruments, double HeapBytesPerInstrument, double RssBytesPerInstrument, long PeakRss);

    /// <summary>Bytes per kind per instrument-day, scaled from <see cref="Minutes"/> simulated minutes.</summary>
    public sealed record Growth(string Exchange, string InstId, double Minutes, IReadOnlyDictionary<MicroKind, (long Bytes, long Lines)> Recorded)
    {
        public double PerDay(MicroKind kind) => Recorded[kind].Bytes * (1440 / Minutes);
    }

    private static Task<int> Run(CommandContext context, CancellationToken token)
    {
        var n = context.Get(Updates);
        if (n < 1000)
        {
            throw new UsageException("--updates must be at least 1000");
        }

        var checksum = context.Get(ChecksumUpdates);
        var instruments = context.Get(Instruments);
        var minutes = context.Get(GrowthMinutes);
        var maxLevels = context.Get(MaxLevels);
        if (checksum < 0 || instruments < 0 || minutes < 0 || maxLevels < 0)
        {
            throw new UsageException("--checksum-updates, --instruments, --growth-minutes and --max-levels must be 0 (skip/off) or more");
        }

        // A folder of its own each run, also under --dir: the vault growth must not count an earlier run's files.
        var root = Path.Combine(context.Get(Dir) ?? Path.GetTempPath(), "pipeline-bench-micro-" + Guid.NewGuid().ToString("N"));
        var console = CliConsole.For(context.Output);
        console.Profile.Width = 200;
        try
        {
            // Memory first: the process is still small, so what the recorder adds is not hidden by the benches' garbage.
            if (instruments > 0)
            {
                foreach (var (exchange, instId) in new[] { ("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT") })
                {
                    token.ThrowIfCancellationRequested();
                    var memory = MemoryPerInstrument(exchange, instId, instruments, Path.Combine(root, "memory-" + exchange));
                    console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"memory, {exchange}: {memory.Instruments} instruments recording every kind of the busy market (1 simulated minute each): " +
                        $"{memory.HeapBytesPerInstrument / 1024:N0} KiB managed heap and {memory.RssBytesPerInstrument / 1024:N0} KiB RSS per instrument; peak RSS {memory.PeakRss / (1024.0 * 1024):N0} MiB")));
                }
            }

            foreach (var (exchange, instId) in new[] { ("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT") })
            {
                token.ThrowIfCancellationRequested();
                var (frames, levels) = IngestFrames(instId, n, maxLevels: maxLevels);
                var rows = new List<Row>
                {
                    Ingest(exchange, instId, frames, Path.Combine(root, exchange)),
                    InMemory(exchange, instId, frames),
                    JsonDocumentPeer(frames),
                    CopyPeer(frames, Path.Combine(root, exchange + "-copy.bin")),
                };
                if (exchange == "okx" && checksum > 0)
                {
                    rows.Add(IngestOkxChecksum(checksum, Path.Combine(root, "okx-checksum")));
                }

                Print(console, exchange, levels, rows);
            }

            if (minutes > 0)
            {
                var growth = new[] { ("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT") }
                    .Select(v => VaultGrowth(v.Item1, v.Item2, minutes, Path.Combine(root, "growth"))).ToList();
                PrintGrowth(console, growth);
            }
        }
        finally
        {
            if (context.Get(Dir) is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        console.MarkupLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; target: book-update ingest ≥ 200,000 updates/s on one core, 0 bytes allocated per update");
        return Task.FromResult(ExitCodes.Ok);
    }

    private static void Print(IAnsiConsole console, string exchange, double levels, List<Row> rows)
    {
        var ingest = rows[0];
        var table = new Table().Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{exchange} book-update ingest ({levels:F1} levels per update on average, the simulator's busy market)")));
        foreach (var column in new[] { "run", "updates", "seconds", "updates/s", "ns/update", "alloc B/update", "vs ingest", "note" })
        {
            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Name), row.Updates.ToString("N0", CultureInfo.InvariantCulture),
                row.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                row.PerSecond.ToString("N0", CultureInfo.InvariantCulture),
                row.NsPerUpdate.ToString("N0", CultureInfo.InvariantCulture),
                double.IsNaN(row.BytesPerUpdate) ? "-" : row.BytesPerUpdate.ToString("F1", CultureInfo.InvariantCulture),
                (row.PerSecond / ingest.PerSecond).ToString("F2", CultureInfo.InvariantCulture) + "x",
                Markup.Escape(row.Note));
        }

        console.Write(table);
    }

    private static void PrintGrowth(IAnsiConsole console, List<Growth> growth)
    {
        var table = new Table().Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"vault growth per instrument-day (the simulator's busy market, {growth[0].Minutes:0.#} simulated minutes per venue scaled to 24 h)")));
        table.AddColumn("exchange");
        table.AddColumn("instrument");
        foreach (var kind in MicroKinds.All)
        {
            table.AddColumn(MicroKinds.Name(kind) + " MB/day");
        }

        table.AddColumn("total MB/day");
        table.AddColumn("lines/day (" + string.Join(", ", MicroKinds.All.Select(MicroKinds.Name)) + ")");
        foreach (var g in growth)
        {
            var cells = new List<string> { g.Exchange, g.InstId };
            cells.AddRange(MicroKinds.All.Select(k => (g.PerDay(k) / 1e6).ToString("N0", CultureInfo.InvariantCulture)));
            cells.Add((MicroKinds.All.Sum(g.PerDay) / 1e6).ToString("N0", CultureInfo.InvariantCulture));
            cells.Add(string.Join(", ", MicroKinds.All.Select(k => (g.Recorded[k].Lines * (1440 / g.Minutes)).ToString("N0", CultureInfo.InvariantCulture))));
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        console.Write(table);
    }

    /// <summary>
    /// <paramref name="n"/> book-update frames: the level changes of the simulator's busy market (a sample of
    /// <see cref="SampleMinutes"/> minutes), replayed in a loop with contiguous sequence numbers and rising event times,
    /// as the venue's connection delivers them (OKX books with checksum 0; Binance combined depthUpdate). Also the
    /// sample's mean levels per update.
    /// </summary>
    public static (byte[][] Frames, double Levels) IngestFrames(string instId, int n, int sampleMinutes = SampleMinutes, int maxLevels = 0)
    {
        var sim = new SimMicroFrames(instId, StartMs) { KeepBookEvents = true };
        sim.Advance(StartMs + (sampleMinutes * 60_000L), (_, _) => { });
        var sample = maxLevels == 0 ? sim.BookEvents : [.. sim.BookEvents.Select(b => b with { Bids = [.. b.Bids.Take(maxLevels)], Asks = [.. b.Asks.Take(maxLevels)] })];
        var levels = sample.Average(b => b.Bids.Count + b.Asks.Count);
        var buffer = new ArrayBufferWriter<byte>(4096);
        var frames = new byte[n][];
        var prefix = "{\"stream\":\"" + instId.ToLowerInvariant() + "@depth@100ms\",\"data\":";
        var seq = 1_000_000L;
        for (var k = 0; k < n; k++)
        {
            var b = sample[k % sample.Count];
            var ts = StartMs + (k / 10); // ten updates a millisecond: a million stay within one day
            buffer.ResetWrittenCount();
            if (sim.Instrument.IsOkx)
            {
                MicroWire.OkxBook(buffer, sim.Instrument, snapshot: false, ts, b.Bids, b.Asks, 0, seq, seq + 1);
                seq++;
            }
            else
            {
                buffer.Write(System.Text.Encoding.ASCII.GetBytes(prefix));
                MicroWire.BinanceDepth(buffer, sim.Instrument, b with { Ts = ts, FirstSeq = seq + 1, Seq = seq + 3, PrevSeq = seq });
                buffer.Write("}"u8);
                seq += 3;
            }

            frames[k] = buffer.WrittenSpan.ToArray();
        }

        return (frames, levels);
    }

    private static MicroRecorder Recorder(string exchange, IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds, string dir)
    {
        IMicroProtocol protocol = exchange == "okx" ? new OkxMicroProtocol(instIds) : new BinanceMicroProtocol();
        var recorder = new MicroRecorder(protocol, instIds, kinds, new VaultLayout(dir), TimeProvider.System, log: Serilog.Core.Logger.None);
        recorder.Open();
        return recorder;
    }

    /// <summary>Starts the book before the first frame: OKX a snapshot frame, Binance the REST snapshot the first diff straddles.</summary>
    private static void StartBook(MicroRecorder recorder, string exchange, string instId, byte[] first)
    {
        using var json = JsonDocument.Parse(first);
        if (exchange == "okx")
        {
            var prev = json.RootElement.GetProperty("data")[0].GetProperty("prevSeqId").GetInt64();
            var snapshot = $"{{\"arg\":{{\"channel\":\"books\",\"instId\":\"{instId}\"}},\"action\":\"snapshot\",\"data\":[{{\"asks\":[[\"90001\",\"5\",\"0\",\"1\"]],\"bids\":[[\"90000\",\"4\",\"0\",\"1\"]],\"ts\":\"{StartMs}\",\"checksum\":0,\"prevSeqId\":-1,\"seqId\":{prev}}}]}}";
            recorder.Frame(System.Text.Encoding.UTF8.GetBytes(snapshot), StartMs + 5);
            return;
        }

        // The REST snapshot's lastUpdateId is the first frame's U: that frame straddles it (U ≤ lastUpdateId ≤ u).
        var firstId = json.RootElement.GetProperty("data").GetProperty("U").GetInt64();
        recorder.Book(new BookRecord
        {
            Exchange = "binance", InstId = instId, Type = BookRecordType.Snapshot, Ts = StartMs, Seq = firstId,
            Bids = [new BookLevel("90000", "4")], Asks = [new BookLevel("90001", "5")], RecvTs = StartMs + 5, Src = "rest",
        });
    }

    /// <summary>The recorder's real path, one thread: <see cref="MicroRecorder.Frame"/> for each frame, Tick as the receive loop calls it, the final fsync timed.</summary>
    public static Row Ingest(string exchange, string instId, byte[][] frames, string dir)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var kinds = new HashSet<MicroKind> { MicroKind.Book };
        // Warm-up in vaults of its own (a replay there would be a gap), for at least a second: on a busy machine the
        // JIT's background compiler needs that long to move the hot methods to their optimised tier.
        var warmUp = Stopwatch.StartNew();
        for (var pass = 0; pass < 2 || (pass < 20 && warmUp.Elapsed < TimeSpan.FromSeconds(1)); pass++)
        {
            using var warm = Recorder(exchange, [instId], kinds, Path.Combine(dir, "warm-up-" + pass.ToString(CultureInfo.InvariantCulture)));
            StartBook(warm, exchange, instId, frames[0]);
            for (var i = 0; i < Math.Min(50_000, frames.Length); i++)
            {
                warm.Frame(frames[i], StartMs + (i / 10) + 5);
            }
        }

        var recorder = Recorder(exchange, [instId], kinds, Path.Combine(dir, "run"));
        StartBook(recorder, exchange, instId, frames[0]);
        // The first update after a snapshot is decided on the record path (Binance: it must straddle the snapshot).
        recorder.Frame(frames[0], StartMs + 5);
        long tickBytes = 0, ticks = 0;
        var tickTime = TimeSpan.Zero;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 1; i < frames.Length; i++)
        {
            recorder.Frame(frames[i], StartMs + (i / 10) + 5);
            if ((i & 0xFFFF) == 0)
            {
                // The receive loop's once-a-second work (fsync, state file): timed, its allocations counted apart.
                var before = GC.GetAllocatedBytesForCurrentThread();
                var tickStart = Stopwatch.GetTimestamp();
                recorder.Tick();
                tickTime += Stopwatch.GetElapsedTime(tickStart);
                tickBytes += GC.GetAllocatedBytesForCurrentThread() - before;
                ticks++;
            }
        }

        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated - tickBytes;
        var disposeStart = Stopwatch.GetTimestamp();
        recorder.Dispose();
        var disposeTime = Stopwatch.GetElapsedTime(disposeStart);
        watch.Stop();
        var stream = recorder.Stream(instId, MicroKind.Book)!;
        if (stream.RunLines != frames.Length + 1 || stream.Resyncs != 0) // the snapshot and every update
        {
            throw new InvalidOperationException($"the bench recorder wrote {stream.RunLines} lines with {stream.Resyncs} resyncs for {frames.Length} updates");
        }

        var file = new FileInfo(new VaultLayout(Path.Combine(dir, "run")).MicroDayJsonl(MicroKind.Book, exchange, instId, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(StartMs).UtcDateTime)));
        return new Row($"ingest {exchange} book updates (frame → parse → sequence → append, 1 thread)", frames.Length - 1, watch.Elapsed, (double)bytes / (frames.Length - 1),
            string.Create(CultureInfo.InvariantCulture,
                $"{file.Length / (double)frames.Length:F0} B/line written; timed: {ticks} Ticks (every 65,536: fsync + state file, {(ticks == 0 ? 0 : tickBytes / ticks):N0} B allocated each) {tickTime.TotalMilliseconds:N0} ms, the final fsync {disposeTime.TotalMilliseconds:N0} ms"));
    }

    /// <summary>OKX with checksums (as before 23 June 2026): consecutive simulator updates, each verified on the top-25 book (the record path).</summary>
    public static Row IngestOkxChecksum(int n, string dir)
    {
        const string instId = "BTC-USDT-SWAP";
        var sim = new SimMicroFrames(instId, StartMs, okxChecksum: true);
        var snapshot = sim.OkxSnapshotFrame();
        var frames = new List<(byte[] Frame, long Ts)>(n);
        for (var t = StartMs + 1000; frames.Count < n; t += 1000)
        {
            sim.Advance(t, (frame, ts) =>
            {
                if (frames.Count < n && frame.AsSpan().IndexOf("\"channel\":\"books\""u8) >= 0)
                {
                    frames.Add((frame, ts));
                }
            });
        }

        var warmUp = Stopwatch.StartNew();
        for (var pass = 0; pass < 2 || (pass < 20 && warmUp.Elapsed < TimeSpan.FromSeconds(1)); pass++)
        {
            using var warm = Recorder("okx", [instId], new HashSet<MicroKind> { MicroKind.Book }, Path.Combine(dir, "warm-up-" + pass.ToString(CultureInfo.InvariantCulture)));
            warm.Frame(snapshot, StartMs + 5);
            foreach (var (frame, ts) in frames.Take(Math.Min(5000, n)))
            {
                warm.Frame(frame, ts + 5);
            }
        }

        var recorder = Recorder("okx", [instId], new HashSet<MicroKind> { MicroKind.Book }, Path.Combine(dir, "run"));
        recorder.Frame(snapshot, StartMs + 5);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        foreach (var (frame, ts) in frames)
        {
            recorder.Frame(frame, ts + 5);
        }

        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        recorder.Dispose();
        watch.Stop();
        var stream = recorder.Stream(instId, MicroKind.Book)!;
        if (stream.Resyncs != 0 || stream.RunLines != n + 1)
        {
            throw new InvalidOperationException($"checksum run: {stream.RunLines} lines, {stream.Resyncs} resyncs for {n} updates (every checksum should match)");
        }

        return new Row("ingest okx book updates with checksum ≠ 0 (record path, top-25 CRC32 per update)", n, watch.Elapsed, (double)bytes / n,
            "every checksum verified and matching; OKX sends 0 since 23 June 2026");
    }

    /// <summary>
    /// The same hot path without the file: the venue's reader, the sequencer and the line formatter into a buffer in
    /// memory (what the ingest costs in CPU; the difference to the ingest row is the appender and the disk).
    /// </summary>
    public static Row InMemory(string exchange, string instId, byte[][] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        IMicroProtocol protocol = exchange == "okx" ? new OkxMicroProtocol([instId]) : new BinanceMicroProtocol();
        var update = new BookUpdate();
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var elapsed = TimeSpan.Zero;
        long bytes = 0;
        long Pass(int count)
        {
            // The first update after the snapshot is decided on the record path, before the clock starts.
            var sequencer = protocol.NewBookSequencer(instId);
            if (!protocol.TryReadBookUpdate(frames[0], StartMs + 5, update))
            {
                throw new InvalidOperationException("a bench frame did not take the hot path");
            }

            Start(sequencer, exchange, instId, update);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            long lines = 1;
            for (var i = 1; i < count; i++)
            {
                if (!protocol.TryReadBookUpdate(frames[i], StartMs + (i / 10) + 5, update) || !sequencer.TryContinue(update))
                {
                    throw new InvalidOperationException("a bench frame did not take the hot path");
                }

                if (output.FreeCapacity < 64 * 1024)
                {
                    output.ResetWrittenCount();
                }

                BookUpdateLine.Write(output, update, exchange, instId);
                lines++;
            }

            elapsed = watch.Elapsed;
            bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            return lines;
        }

        Pass(Math.Min(50_000, frames.Length));
        var lines = Pass(frames.Length);
        if (lines != frames.Length)
        {
            throw new InvalidOperationException($"in-memory run: {lines} lines for {frames.Length} updates");
        }

        return new Row("hot path into memory (parse → sequence → format, no file)", frames.Length - 1, elapsed, (double)bytes / (frames.Length - 1), "the CPU part of the ingest row");
    }

    /// <summary>A sequencer that continues from <paramref name="first"/>: a snapshot it straddles, then the update decided on the record path.</summary>
    private static void Start(IBookSequencer sequencer, string exchange, string instId, BookUpdate first)
    {
        var snapshot = new BookRecord
        {
            Exchange = exchange, InstId = instId, Type = BookRecordType.Snapshot, Ts = first.Ts,
            Seq = exchange == "okx" ? first.PrevSeq : first.FirstSeq, RecvTs = first.RecvTs, Src = "ws",
        };
        sequencer.Decide(snapshot);
        sequencer.Decide(new BookRecord
        {
            Exchange = exchange, InstId = instId, Type = BookRecordType.Update, Ts = first.Ts, Seq = first.Seq, PrevSeq = first.PrevSeq,
            FirstSeq = first.FirstSeq, Bids = [new BookLevel("1", "1")], RecvTs = first.RecvTs, Src = "ws",
        });
    }

    /// <summary>Peer: System.Text.Json JsonDocument over the same frames, reading every level's price and size as strings (no sequence, no write).</summary>
    public static Row JsonDocumentPeer(byte[][] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var check = Parse(frames.Take(Math.Min(50_000, frames.Length))); // warm-up, as for the ingest
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        check += Parse(frames);
        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Row("peer: JsonDocument parse of the same frames", frames.Length, watch.Elapsed, (double)bytes / frames.Length,
            check > 0 ? "parse only, every level's price and size as strings" : string.Empty);
    }

    private static long Parse(IEnumerable<byte[]> frames)
    {
        long check = 0;
        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(frame);
            var data = document.RootElement.GetProperty("data");
            var row = data.ValueKind == JsonValueKind.Array ? data[0] : data;
            foreach (var side in row.EnumerateObject())
            {
                if (side.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var level in side.Value.EnumerateArray())
                {
                    check += level[0].GetString()!.Length + level[1].GetString()!.Length;
                }
            }
        }

        return check;
    }

    /// <summary>Peer: copy the raw frame bytes to a file (the floor for "append something per frame").</summary>
    public static Row CopyPeer(byte[][] frames, string path)
    {
        ArgumentNullException.ThrowIfNull(frames);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var watch = Stopwatch.StartNew();
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024))
        {
            foreach (var frame in frames)
            {
                stream.Write(frame);
            }

            stream.Flush(true);
        }

        watch.Stop();
        return new Row("peer: copy the frame bytes to a file", frames.Length, watch.Elapsed, double.NaN, "no parse, no sequence");
    }

    /// <summary>
    /// A recorder of <paramref name="instruments"/> instruments, every kind, each fed a simulated minute of the busy
    /// market (its files, buffers, book sequencer and dedup windows all in use): the live managed heap and the RSS it
    /// adds, per instrument.
    /// </summary>
    public static Memory MemoryPerInstrument(string exchange, string instId, int instruments, string dir)
    {
        var names = Enumerable.Range(0, instruments).Select(k => Rename(instId, k)).ToList();
        var heap0 = Settle();
        var rss0 = Rss();
        var recorder = Recorder(exchange, names, MicroKinds.All.ToHashSet(), dir);
        foreach (var name in names)
        {
            new SimMicroFrames(instId, StartMs, renameTo: name).Record(recorder, StartMs, 60_000);
        }

        var heap1 = Settle();
        var rss1 = Rss();
        GC.KeepAlive(recorder);
        recorder.Dispose();
        return new Memory(exchange, instruments, (heap1 - heap0) / (double)instruments, (rss1 - rss0) / (double)instruments,
            Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>The k-th made-up instrument of the memory run, as long as the real one ("B00-USDT-SWAP", "B00USDT").</summary>
    private static string Rename(string instId, int k) =>
        "B" + k.ToString("D2", CultureInfo.InvariantCulture) + instId[3..];

    /// <summary>A full compacting collection (the large object heap too): the live heap, nothing waiting to be collected.</summary>
    private static long Settle()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>The busy market recorded for <paramref name="minutes"/> simulated minutes, every kind: bytes and lines per kind.</summary>
    public static Growth VaultGrowth(string exchange, string instId, double minutes, string dir)
    {
        var layout = new VaultLayout(dir);
        using (var recorder = Recorder(exchange, [instId], MicroKinds.All.ToHashSet(), dir))
        {
            new SimMicroFrames(instId, StartMs).Record(recorder, StartMs, (long)(minutes * 60_000));
        }

        var recorded = new Dictionary<MicroKind, (long, long)>();
        foreach (var kind in MicroKinds.All)
        {
            long bytes = 0, lines = 0;
            var folder = layout.MicroInstrumentDir(kind, exchange, instId);
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.jsonl") : [])
            {
                bytes += new FileInfo(file).Length;
                lines += File.ReadLines(file).LongCount();
            }

            recorded[kind] = (bytes, lines);
        }

        return new Growth(exchange, instId, minutes, recorded);
    }
}
