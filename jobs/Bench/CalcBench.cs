using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// <c>pipeline bench calc</c>: a full day of raw lines through the calculators, against DuckDB
/// computing the same bars_1m from the same file and a plain line count of it, plus the latency
/// of one incremental minute and the peak RSS.
/// </summary>
public static class CalcBench
{
    private const string Exchange = "okx";
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly DateOnly Day = new(2025, 12, 14);

    private static readonly Option<int> Trades = new("--trades") { Description = "Trades in the generated day (default 2400000, a full BTC-USDT-SWAP day)", DefaultValueFactory = _ => 2_400_000 };
    private static readonly Option<string?> Dir = new("--dir") { Description = "Where the bench vault lives (default ./bench-data/calc); the raw day is reused when it has the same size" };
    private static readonly Option<int> Minutes = new("--minutes") { Description = "Incremental minutes to time (default 20)", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> Events = new("--events") { Description = "Quote events for the per-event microstructure bench (OFI, micro-price, imbalance; default 1000000, 0 skips it)", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<bool> EventsOnly = new("--events-only") { Description = "Run only the per-event microstructure bench (no day of trades generated)" };

    public static Command Create()
    {
        var command = new Command("calc", "Benchmark the calculators on a generated day of raw trades against DuckDB and a plain line scan of the same file");
        command.Options.Add(Trades);
        command.Options.Add(Dir);
        command.Options.Add(Minutes);
        command.Options.Add(Events);
        command.Options.Add(EventsOnly);
        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var count = context.Get(Trades);
        if (count < 1000)
        {
            throw new UsageException("--trades must be at least 1000");
        }

        var events = context.Get(Events);
        if (events is not 0 and < 1000)
        {
            throw new UsageException("--events must be 0 (skip) or at least 1000");
        }

        if (context.Get(EventsOnly))
        {
            if (events == 0)
            {
                throw new UsageException("--events-only needs --events above 0");
            }

            await WriteMicroAsync(context.Output, MicroEventBench.Run(events));
            return ExitCodes.Ok;
        }

        var root = Path.GetFullPath(context.Get(Dir) ?? Path.Combine("bench-data", "calc"));
        var layout = new VaultLayout(root);
        var raw = layout.RawDayJsonl(Exchange, InstId, Day);
        var marker = raw + ".count";
        var o = context.Output;
        var generated = false;
        if (!File.Exists(raw) || !File.Exists(marker) || File.ReadAllText(marker) != count.ToString(CultureInfo.InvariantCulture))
        {
            await o.WriteLineAsync($"generating {count:N0} trades into {raw} ...");
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Generate(raw, count);
            generated = true;
            await File.WriteAllTextAsync(marker, count.ToString(CultureInfo.InvariantCulture), token);
        }

        var bytes = new FileInfo(raw).Length;
        await o.WriteLineAsync($"raw day: {raw} ({count:N0} trades, {bytes / 1048576.0:N0} MiB)");

        // Our run first, so the peak RSS we report is ours and not DuckDB's.
        ClearDerived(layout);
        SetWatermark(layout, MinuteTime.DayEnd(Day) + 5_000);
        var lines = Measure(() => PlainLineCount(raw), out var scan);
        var options = new CalcOptions { Time = context.Time };

        // Stage 1 alone (fresh state), then the full-day recalc of all five calculators.
        Measure(() => new RawToBarsStage(layout, options, Exchange, InstId).Run(token, null, fromCheckpoint: true), out var stage1);
        var result = Measure(() => CalculatorRunner.Recalc(layout, options, Exchange, InstId, Day, null, token), out var full);
        // The same incremental minutes on a RAM disk copy too: what is left once device flushes cost nothing.
        var ram = Directory.Exists("/dev/shm") ? new VaultLayout(Path.Combine("/dev/shm", "pipeline-bench-" + Environment.ProcessId)) : null;
        if (ram is not null)
        {
            Copy(layout.StateDir, ram.StateDir);
            Copy(layout.DerivedDir, ram.DerivedDir);
        }

        var incremental = IncrementalMinutes(layout, options, context.Get(Minutes), count / 1440, token);
        var incrementalRam = ram is null ? null : IncrementalMinutes(ram, options, context.Get(Minutes), count / 1440, token);
        if (ram is not null)
        {
            Directory.Delete(ram.Root, recursive: true);
        }

        var fsync = FsyncCost(root);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakRss = self.PeakWorkingSet64;

        var duckRows = Measure(() => DuckDbBars(raw, threads: null), out var duck);
        Measure(() => DuckDbBars(raw, threads: 1), out var duck1);

        await o.WriteLineAsync();
        await o.WriteLineAsync("Times are wall clock and process CPU time; trades per CPU-second is the one-core rate even on a busy machine.");
        await o.WriteLineAsync($"{"measure",-44} {"wall",10} {"cpu",10} {"trades/cpu-s",14} {"ratio wall",11} {"ratio cpu",10}");
        Row(o, "stage 1 bars_1m (1 core)", stage1, count, stage1);
        Row(o, "full-day recalc (bars + vwap/bands/cvd/adx)", full, count, stage1);
        Row(o, $"DuckDB bars_1m, same file ({Environment.ProcessorCount} threads)", duck, count, stage1);
        Row(o, "DuckDB bars_1m, same file (1 thread)", duck1, count, stage1);
        Row(o, "plain read counting lines (floor)", scan, lines, stage1);
        await o.WriteLineAsync();
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"incremental minute ({incremental.Count} minutes of ~{count / 1440} trades, all 5 calculators, fsync included): median {Median(incremental):0.0} ms wall, {Median(incremental, cpu: true):0.0} ms CPU"));
        if (incrementalRam is not null)
        {
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"incremental minute on a RAM disk (/dev/shm, same code, flushes nearly free): median {Median(incrementalRam):0.0} ms wall, {Median(incrementalRam, cpu: true):0.0} ms CPU"));
        }

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"fsync on the bench disk: {fsync:0.0} ms each; a pass commits 5 calculators (output fsync and state temp fsync each; the cursor rename is not directory-synced, since losing it only repeats work)"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"peak RSS (before the DuckDB peers ran{(generated ? "; includes generating the day: rerun to reuse it" : "")}): {peakRss / 1048576.0:0} MB"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bars emitted {result.BarsEmitted}, DuckDB minutes with trades {duckRows}; ratio = time / stage-1 time (below 1 is faster than ours)"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"targets: stage 1 >= 1,500,000 trades/s on one core [{(count / stage1.Cpu.TotalSeconds >= 1_500_000 ? "met" : "NOT met")}], not slower than DuckDB (CPU time, same file) [{(stage1.Cpu <= duck.Cpu ? "met" : "NOT met")}], incremental minute <= 5 ms [{(Median(incremental) <= 5 ? "met" : "NOT met")} on the bench disk{(incrementalRam is null ? "" : Median(incrementalRam) <= 5 ? ", met on a RAM disk" : ", NOT met on a RAM disk")}], peak RSS <= 200 MB [{(peakRss <= 200L * 1048576 ? "met" : "NOT met")}]"));
        if (events > 0)
        {
            await WriteMicroAsync(o, MicroEventBench.Run(events));
        }

        return ExitCodes.Ok;
    }

    private static async Task WriteMicroAsync(TextWriter o, MicroEventBench.Result r)
    {
        await o.WriteLineAsync(MicroEventBench.Describe(r));
        await o.WriteLineAsync(LoadLine());
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"targets: per event <= 1 µs median [{(r.MedianNs <= 1000 ? "met" : "NOT met")}], <= 5 µs p99 [{(r.P99Ns <= 5000 ? "met" : "NOT met")}], nothing allocated per event [{(r.BytesPerEvent < 1 ? "met" : "NOT met")}]"));
    }

    /// <summary>The machine's load while measuring, so a figure is read with it.</summary>
    private static string LoadLine() =>
        File.Exists("/proc/loadavg")
            ? $"load average (1, 5, 15 min): {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} on {Environment.ProcessorCount} cores"
            : $"{Environment.ProcessorCount} cores";

    private static void Row(TextWriter o, string name, Timing t, long items, Timing reference) =>
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {t.Wall.TotalMilliseconds,7:0} ms {t.Cpu.TotalMilliseconds,7:0} ms {items / t.Cpu.TotalSeconds,14:N0} {t.Wall / reference.Wall,11:0.00} {t.Cpu / reference.Cpu,10:0.00}"));

    private readonly record struct Timing(TimeSpan Wall, TimeSpan Cpu);

    private static T Measure<T>(Func<T> action, out Timing timing)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = action();
        var wall = clock.Elapsed;
        self.Refresh();
        timing = new Timing(wall, self.TotalProcessorTime - cpu);
        return result;
    }

    private static double Median(List<Timing> values, bool cpu = false)
    {
        var sorted = values.Select(t => (cpu ? t.Cpu : t.Wall).TotalMilliseconds).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static void Generate(string path, int count)
    {
        var random = new Random(2025);
        var start = TradeTime.DayStartMs(Day);
        var price = 1_000_000L; // 0.1 ticks: 100000.0
        using var appender = JsonlAppender.Open(path);
        for (var i = 0; i < count; i++)
        {
            price += random.Next(-4, 5);
            var ts = start + (long)((double)i / count * TradeTime.MsPerDay);
            var qty = (random.Next(1, 20000) / 1000m).ToString(CultureInfo.InvariantCulture);
            var sz = qty;
            var q = (decimal.Parse(sz, CultureInfo.InvariantCulture) / 100m).ToString(CultureInfo.InvariantCulture);
            RawTradeWriter.Write(appender, new RawTrade
            {
                Exchange = Exchange, InstId = InstId, TradeId = (2_000_000_000L + i).ToString(CultureInfo.InvariantCulture), Ts = ts,
                Px = (price / 10m).ToString("0.0", CultureInfo.InvariantCulture), Sz = sz, Side = (i & 1) == 0 ? "buy" : "sell",
                CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = q, RecvTs = ts + 7, Src = "ws",
            });
            appender.EndLine();
        }
    }

    private static long PlainLineCount(string path)
    {
        var buffer = new byte[1 << 20];
        long lines = 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    private static long DuckDbBars(string path, int? threads)
    {
        using var db = DuckDbConnection.OpenInMemory();
        if (threads is { } t)
        {
            db.Execute($"SET threads = {t}");
        }

        return db.Scalar<long>("""
            select count(*) from (
              select (ts // 60000) * 60000 as m, count(*) as n, sum(q) as q, sum(px * q) as pq, sum(px * px * q) as p2q,
                     sum(q) filter (where side = 'buy') as buy, sum(q) filter (where side = 'sell') as sell,
                     arg_min(px, [ts, id]) as open, max(px) as high, min(px) as low, arg_max(px, [ts, id]) as close,
                     arg_min(id, [ts, id]) as first_id, arg_max(id, [ts, id]) as last_id
              from (select ts, px::DECIMAL(18,1) as px, qtyBase::DECIMAL(18,8) as q, side, tradeId::BIGINT as id
                    from read_json(?, format = 'newline_delimited',
                         columns = {ts: 'BIGINT', px: 'VARCHAR', qtyBase: 'VARCHAR', side: 'VARCHAR', tradeId: 'VARCHAR'}))
              group by m)
            """, path);
    }

    /// <summary>Appends a minute of trades on the next day, moves the watermark past it, times one calc pass.</summary>
    private static List<Timing> IncrementalMinutes(VaultLayout layout, CalcOptions options, int minutes, int perMinute, CancellationToken token)
    {
        var next = Day.AddDays(1);
        var path = layout.RawDayJsonl(Exchange, InstId, next);
        var random = new Random(7);
        var times = new List<Timing>();
        var id = 9_000_000_000L;
        for (var m = 0; m < minutes; m++)
        {
            var start = TradeTime.DayStartMs(next) + (m * MinuteTime.Ms);
            using (var appender = JsonlAppender.Open(path))
            {
                for (var i = 0; i < perMinute; i++)
                {
                    var ts = start + (i * MinuteTime.Ms / perMinute);
                    RawTradeWriter.Write(appender, new RawTrade
                    {
                        Exchange = Exchange, InstId = InstId, TradeId = (id++).ToString(CultureInfo.InvariantCulture), Ts = ts,
                        Px = (100000m + (random.Next(-50, 50) / 10m)).ToString("0.0", CultureInfo.InvariantCulture), Sz = "1",
                        Side = (i & 1) == 0 ? "buy" : "sell", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC",
                        QtyBase = "0.01", RecvTs = ts + 7, Src = "ws",
                    });
                    appender.EndLine();
                }
            }

            SetWatermark(layout, start + MinuteTime.Ms + 2_000);
            var r = Measure(() => CalculatorRunner.RunOnce(layout, options, Exchange, InstId, token), out var t);
            times.Add(t);
            if (r.BarsEmitted != 1)
            {
                throw new InvalidOperationException($"incremental pass emitted {r.BarsEmitted} bars, expected 1");
            }
        }

        return times;
    }

    private static double FsyncCost(string dir)
    {
        var path = Path.Combine(dir, "fsync.probe");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                stream.Write("probe\n"u8);
                stream.Flush(true);
            }

            var ms = clock.Elapsed.TotalMilliseconds / 20;
            stream.Close();
            File.Delete(path);
            return ms;
        }
    }

    private static void Copy(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void SetWatermark(VaultLayout layout, long ts) =>
        new StateFile<ExporterState>(layout.ExporterState(Exchange, InstId)).Write(new ExporterState
        {
            Exchange = Exchange, InstId = InstId, WatermarkTs = ts, Connection = "connected",
        });

    private static void ClearDerived(VaultLayout layout)
    {
        foreach (var dir in new[] { layout.DerivedDir, layout.StateDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        var next = layout.RawDayJsonl(Exchange, InstId, Day.AddDays(1));
        if (File.Exists(next))
        {
            File.Delete(next);
        }
    }
}
