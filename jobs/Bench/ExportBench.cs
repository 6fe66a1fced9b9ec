using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Layout;
using Spectre.Console;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// <c>pipeline bench export</c>: the exporter's ingest
/// path (frame bytes → Utf8JsonReader parse → dedup → append) fed from frames in memory on one thread,
/// against peers on the same frames (a JsonDocument parse, a plain copy of the bytes to a file), with
/// allocated bytes per trade; and end to end over loopback from the simulator.
/// </summary>
public static class ExportBench
{
    private static readonly Option<int> Trades = new("--trades") { Description = "Trades per in-memory run (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<double> Seconds = new("--seconds") { Description = "Seconds of the end-to-end run against the simulator (default 10; 0 skips it)", DefaultValueFactory = _ => 10 };
    private static readonly Option<string?> Dir = new("--dir") { Description = "Scratch directory (default: a temp folder, deleted afterwards)" };

    public static Command Create()
    {
        var command = new Command("export", "Measure the exporter: in-memory ingest throughput (parse → dedup → append) and allocations per trade vs peers, end to end from the simulator over loopback, peak RSS");
        command.Options.Add(Trades);
        command.Options.Add(Seconds);
        command.Options.Add(Dir);
        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    /// <summary>One measured row.</summary>
    public sealed record Row(string Name, long Trades, TimeSpan Elapsed, double BytesPerTrade, string Note)
    {
        public double PerSecond => Trades / Elapsed.TotalSeconds;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var n = context.Get(Trades);
        if (n < 1000)
        {
            throw new UsageException("--trades must be at least 1000");
        }

        var root = context.Get(Dir) ?? Path.Combine(Path.GetTempPath(), "pipeline-bench-export-" + Guid.NewGuid().ToString("N"));
        var rows = new List<Row>();
        try
        {
            var okx = OkxFrames(n);
            var binance = BinanceFrames(n);
            rows.Add(IngestOkx(okx, Path.Combine(root, "okx")));
            rows.Add(IngestBinance(binance, Path.Combine(root, "binance")));
            rows.Add(JsonDocumentPeer(okx));
            rows.Add(CopyPeer(okx, Path.Combine(root, "copy.bin")));
            var seconds = context.Get(Seconds);
            if (seconds > 0)
            {
                rows.AddRange(await EndToEnd.RunAsync(Path.Combine(root, "e2e"), TimeSpan.FromSeconds(seconds), token));
            }
        }
        finally
        {
            if (context.Get(Dir) is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        Print(context, rows);
        return ExitCodes.Ok;
    }

    private static void Print(CommandContext context, List<Row> rows)
    {
        var console = CliConsole.For(context.Output);
        console.Profile.Width = 200;
        var ingest = rows[0];
        var table = new Table().Title("exporter bench");
        foreach (var column in new[] { "run", "trades", "seconds", "trades/s", "alloc B/trade", "vs OKX ingest", "note" })
        {
            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Name), row.Trades.ToString("N0", CultureInfo.InvariantCulture),
                row.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                row.PerSecond.ToString("N0", CultureInfo.InvariantCulture),
                double.IsNaN(row.BytesPerTrade) ? "-" : row.BytesPerTrade.ToString("F1", CultureInfo.InvariantCulture),
                (row.PerSecond / ingest.PerSecond).ToString("F2", CultureInfo.InvariantCulture) + "x",
                Markup.Escape(row.Note));
        }

        console.Write(table);
        console.MarkupLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; targets: ingest ≥ 200,000 trades/s on one core, end to end ≥ 20,000 trades/s");
    }

    public static byte[][] OkxFrames(int n)
    {
        var frames = new byte[n][];
        var ts = 1_767_225_600_000L; // 2026-01-01
        for (var i = 0; i < n; i++)
        {
            var px = (90000m + ((i % 977) * 0.1m)).ToString(CultureInfo.InvariantCulture);
            var sz = (1 + (i % 37)).ToString(CultureInfo.InvariantCulture);
            frames[i] = Encoding.UTF8.GetBytes(
                $$"""{"arg":{"channel":"trades-all","instId":"BTC-USDT-SWAP"},"data":[{"instId":"BTC-USDT-SWAP","tradeId":"{{1_000_000_000 + i}}","px":"{{px}}","sz":"{{sz}}","side":"{{(i % 3 == 0 ? "sell" : "buy")}}","source":"0","ts":"{{ts + (i / 20)}}"}]}""");
        }

        return frames;
    }

    public static byte[][] BinanceFrames(int n)
    {
        var frames = new byte[n][];
        var ts = 1_767_225_600_000L;
        for (var i = 0; i < n; i++)
        {
            var px = (90000m + ((i % 977) * 0.1m)).ToString(CultureInfo.InvariantCulture);
            var q = (0.001m * (1 + (i % 37))).ToString(CultureInfo.InvariantCulture);
            var id = 2_000_000_000L + i;
            frames[i] = Encoding.UTF8.GetBytes(
                $$$"""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":{{{ts + (i / 20) + 5}}},"s":"BTCUSDT","a":{{{id}}},"p":"{{{px}}}","q":"{{{q}}}","nq":"{{{q}}}","f":{{{id * 2}}},"l":{{{(id * 2) + 1}}},"T":{{{ts + (i / 20)}}},"m":{{{(i % 3 == 0 ? "true" : "false")}}}}}""");
        }

        return frames;
    }

    /// <summary>The receive time of every bench frame: next to their event times (2026-01-01), so the recorder's
    /// event-time plausibility check passes them as it passes live trades.</summary>
    private const long RecvTs = 1_767_225_600_000L + 50;

    private static InstrumentRecorder Recorder(string dir, InstrumentSpec spec)
    {
        var options = new ExporterOptions { Exchange = spec.Exchange, InstIds = [spec.InstId] };
        var recorder = new InstrumentRecorder(spec, new VaultLayout(dir), options, TimeProvider.System, Serilog.Core.Logger.None);
        recorder.Open();
        return recorder;
    }

    /// <summary>The hot path as the receive loop and writer run it, minus the queue hop: parse → dedup → append.</summary>
    public static Row IngestOkx(byte[][] frames, string dir)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var spec = new InstrumentSpec { Exchange = "okx", InstId = "BTC-USDT-SWAP", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", BaseCcy = "BTC" };
        using var recorder = Recorder(dir, spec);
        var parser = new OkxFrameParser(["BTC-USDT-SWAP"]);
        // Warm up on a copy of the ids (they are duplicates afterwards, so warm-up writes nothing twice).
        for (var i = 0; i < Math.Min(20_000, frames.Length); i++)
        {
            parser.Parse(frames[i], RecvTs, TradeSource.Ws);
            recorder.Accept(parser.Items[0]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var ticks = 0;
        for (var i = 0; i < frames.Length; i++)
        {
            if (parser.Parse(frames[i], RecvTs, TradeSource.Ws) == OkxFrameKind.Trades)
            {
                recorder.Accept(parser.Items[0]);
            }

            if ((i & 0xFFFF) == 0)
            {
                recorder.Tick();
                ticks++;
            }
        }

        recorder.WriteState();
        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Row("ingest OKX trades-all (parse → dedup → append, 1 thread)", frames.Length, watch.Elapsed,
            (double)bytes / frames.Length, $"{recorder.Duplicates:N0} warm-up dups; {ticks} ticks incl. fsync + state");
    }

    public static Row IngestBinance(byte[][] frames, string dir)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var spec = new InstrumentSpec { Exchange = "binance", InstId = "BTCUSDT", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", BaseCcy = "BTC" };
        using var recorder = Recorder(dir, spec);
        var parser = new BinanceFrameParser(["BTCUSDT"]);
        for (var i = 0; i < Math.Min(20_000, frames.Length); i++)
        {
            parser.ParseFrame(frames[i], RecvTs);
            recorder.Accept(parser.Items[0]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < frames.Length; i++)
        {
            if (parser.ParseFrame(frames[i], RecvTs) == BinanceFrameKind.Trades)
            {
                recorder.Accept(parser.Items[0]);
            }

            if ((i & 0xFFFF) == 0)
            {
                recorder.Tick();
            }
        }

        recorder.WriteState();
        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Row("ingest Binance aggTrade (parse → dedup → append)", frames.Length, watch.Elapsed, (double)bytes / frames.Length, string.Empty);
    }

    /// <summary>Peer: System.Text.Json JsonDocument over the same frames, reading the same fields (no dedup, no write).</summary>
    public static Row JsonDocumentPeer(byte[][] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        long check = 0;
        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(frame);
            var trade = document.RootElement.GetProperty("data")[0];
            check += trade.GetProperty("tradeId").GetString()!.Length + trade.GetProperty("px").GetString()!.Length +
                trade.GetProperty("sz").GetString()!.Length + trade.GetProperty("ts").GetString()!.Length;
        }

        watch.Stop();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Row("peer: JsonDocument parse of the same frames", frames.Length, watch.Elapsed, (double)bytes / frames.Length,
            check > 0 ? "parse only, strings for 4 fields" : string.Empty);
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
        return new Row("peer: memcpy frame bytes to a file", frames.Length, watch.Elapsed, double.NaN, "no parse, no dedup");
    }
}
