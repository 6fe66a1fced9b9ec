using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Spectre.Console;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// <c>pipeline bench query</c>: the same DuckDB queries over the same raw trade days, once as JSONL
/// and once compacted to Parquet (zstd), timed in the same process; prints the Parquet speed-up; then the
/// start-up table (<see cref="StartupBench"/>): <c>select 1</c> on vaults of 0, 1,000 and 10,000 day files.
/// </summary>
public static class QueryBench
{
    private const string Exchange = "okx";
    private const string InstId = "BTC-USDT-SWAP";

    private static readonly Option<int> Days = new("--days") { Description = "raw days to generate (default 3)", DefaultValueFactory = _ => 3 };

    private static readonly Option<int> TradesPerDay = new("--trades-per-day")
    {
        Description = "trades per day (default 400000)",
        DefaultValueFactory = _ => 400_000,
    };

    private static readonly Option<int> Runs = new("--runs") { Description = "timed runs per query after one warm-up; the median is shown (default 3)", DefaultValueFactory = _ => 3 };

    private static readonly Option<string?> Scratch = new("--scratch")
    {
        Description = "scratch directory (default: <temp>/pipeline-bench/query); data made with the same options is reused",
    };

    /// <summary>The representative queries: name → SQL over the <c>trades</c> view.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Queries { get; } =
    [
        ("count(*)", "select count(*) from trades"),
        ("count(distinct tradeId)", "select count(distinct tradeId) from trades"),
        ("1m OHLCV bars", """
            select time_bucket(INTERVAL 1 minute, ts) as minute, arg_min(px, ts) as open, max(px) as high, min(px) as low,
                   arg_max(px, ts) as close, sum(qtyBase) as volBase, count(*) as trades
            from trades group by 1 order by 1
            """),
    ];

    public static Command Create()
    {
        var command = new Command("query", "Time DuckDB queries over raw trade days as JSONL vs. compacted Parquet (zstd) in scratch vaults");
        command.Options.Add(Days);
        command.Options.Add(TradesPerDay);
        command.Options.Add(Runs);
        command.Options.Add(Scratch);
        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var days = context.Get(Days);
        var perDay = context.Get(TradesPerDay);
        var runs = context.Get(Runs);
        if (days < 1 || perDay < 1 || runs < 1)
        {
            throw new UsageException("--days, --trades-per-day and --runs must be at least 1");
        }

        var scratch = Path.GetFullPath(context.Get(Scratch) ?? Path.Combine(Path.GetTempPath(), "pipeline-bench", "query"));
        var jsonlVault = new VaultLayout(Path.Combine(scratch, "jsonl"));
        var parquetVault = new VaultLayout(Path.Combine(scratch, "parquet"));
        var typedVault = new VaultLayout(Path.Combine(scratch, "parquet-typed"));
        var progress = context.Error;

        var generated = await EnsureJsonlAsync(jsonlVault, days, perDay, progress, token);
        var convertSeconds = await ConvertAsync(jsonlVault, parquetVault, generated, typed: false, progress, token);
        var typedSeconds = await ConvertAsync(jsonlVault, typedVault, generated, typed: true, progress, token);

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("query").AddColumn(new TableColumn("rows").RightAligned())
            .AddColumn(new TableColumn("JSONL ms").RightAligned()).AddColumn(new TableColumn("Parquet ms").RightAligned())
            .AddColumn(new TableColumn("Parquet speed-up").RightAligned())
            .AddColumn(new TableColumn("typed Parquet ms").RightAligned()).AddColumn(new TableColumn("typed speed-up").RightAligned());
        foreach (var (name, sql) in Queries)
        {
            token.ThrowIfCancellationRequested();
            await progress.WriteLineAsync($"bench: {name} ...");
            var (rowsJsonl, jsonlMs) = Time(jsonlVault, sql, runs, token);
            var (rowsParquet, parquetMs) = Time(parquetVault, sql, runs, token);
            var (rowsTyped, typedMs) = Time(typedVault, sql, runs, token);
            if (rowsJsonl != rowsParquet || rowsJsonl != rowsTyped)
            {
                throw new InvalidOperationException($"{name}: JSONL gave {rowsJsonl} rows, Parquet {rowsParquet}, typed Parquet {rowsTyped}");
            }

            table.AddRow(name, rowsJsonl.ToString("N0", CultureInfo.InvariantCulture), Ms(jsonlMs), Ms(parquetMs),
                Ratio(jsonlMs, parquetMs), Ms(typedMs), Ratio(jsonlMs, typedMs));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(context.Output),
        });
        console.Profile.Width = 160;
        var jsonlBytes = Size(jsonlVault, "*.jsonl");
        var parquetBytes = Size(parquetVault, "*.parquet");
        var typedBytes = Size(typedVault, "*.parquet");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{days} day(s) × {perDay:N0} trades of {Exchange} {InstId}; median of {runs} run(s) after a warm-up; DuckDB {DuckDbInfo.Version()}, {Environment.ProcessorCount} cores"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"JSONL {Mib(jsonlBytes)}; Parquet (zstd, raw text columns, by `pipeline compact`) {Mib(parquetBytes)}, written and verified in {convertSeconds:0.0} s; typed Parquet (the trades view's DECIMAL and TIMESTAMPTZ types) {Mib(typedBytes)}, written in {typedSeconds:0.0} s"));
        console.Write(table);

        var startup = await StartupBench.RunAsync(scratch, runs, progress, token);
        var startupTable = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("day files").RightAligned())
            .AddColumn(new TableColumn("open + select 1, in process ms").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn(new TableColumn("pipeline query 'select 1' ms").RightAligned()).AddColumn(new TableColumn("ratio").RightAligned());
        foreach (var row in startup)
        {
            startupTable.AddRow(row.Files.ToString("N0", CultureInfo.InvariantCulture), Ms(row.InProcessMs),
                (row.InProcessMs / startup[0].InProcessMs).ToString("0.00", CultureInfo.InvariantCulture) + "×",
                Ms(row.ProcessMs), (row.ProcessMs / startup[0].ProcessMs).ToString("0.00", CultureInfo.InvariantCulture) + "×");
        }

        console.WriteLine("Start-up: select 1 on generated vaults of small day files (raw JSONL, raw Parquet, bars_1m, vwap in turn); ratio to the empty vault");
        console.Write(startupTable);
        await context.Output.FlushAsync(token);
        return ExitCodes.Ok;
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Ms(double ms) => ms.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(double baseline, double ms) => (baseline / ms).ToString("0.0", CultureInfo.InvariantCulture) + "×";

    /// <summary>Runs <paramref name="sql"/> once to warm up, then <paramref name="runs"/> times; reads every row; returns the median ms.</summary>
    private static (long Rows, double Ms) Time(VaultLayout vault, string sql, int runs, CancellationToken token)
    {
        using var query = VaultQuery.Open(vault);
        using var registration = token.Register(query.Interrupt);
        var times = new List<double>();
        long rows = 0;
        for (var run = 0; run <= runs; run++)
        {
            var watch = Stopwatch.StartNew();
            rows = 0;
            using (var reader = query.Query(sql))
            {
                while (reader.Read())
                {
                    rows++;
                }
            }

            if (run > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (rows, times[times.Count / 2]);
    }

    /// <summary>Generates the raw days with the vault's own writer, unless the same ones are already there.</summary>
    private static async Task<IReadOnlyList<DateOnly>> EnsureJsonlAsync(VaultLayout vault, int days, int perDay,
        TextWriter progress, CancellationToken token)
    {
        var marker = Path.Combine(vault.Root, "bench.json");
        var wanted = JsonSerializer.Serialize(new { days, perDay, version = 2 });
        var first = new DateOnly(2024, 7, 1);
        var list = Enumerable.Range(0, days).Select(first.AddDays).ToList();
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker, token) == wanted
            && list.All(d => File.Exists(vault.RawDayJsonl(Exchange, InstId, d))))
        {
            await progress.WriteLineAsync($"bench: reusing {days} generated day(s) in {vault.Root}");
            return list;
        }

        if (Directory.Exists(vault.Root))
        {
            Directory.Delete(vault.Root, recursive: true);
        }

        var random = new Random(20240701);
        long tradeId = 1_000_000_000;
        var px = 650_000L; // price in tenths: 65000.0
        foreach (var day in list)
        {
            token.ThrowIfCancellationRequested();
            await progress.WriteLineAsync($"bench: writing {perDay:N0} trades for {day:yyyy-MM-dd} ...");
            var path = vault.RawDayJsonl(Exchange, InstId, day);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var appender = JsonlAppender.Open(path);
            var start = TradeTime.DayStartMs(day);
            for (var i = 0; i < perDay; i++)
            {
                px = Math.Max(1, px + random.Next(-3, 4));
                var size = random.Next(1, 200);
                var ts = start + ((long)i * TradeTime.MsPerDay / perDay);
                var trade = new RawTrade
                {
                    Exchange = Exchange,
                    InstId = InstId,
                    TradeId = (tradeId++).ToString(CultureInfo.InvariantCulture),
                    Ts = ts,
                    Px = (px / 10).ToString(CultureInfo.InvariantCulture) + "." + (px % 10).ToString(CultureInfo.InvariantCulture),
                    Sz = size.ToString(CultureInfo.InvariantCulture),
                    Side = random.Next(2) == 0 ? "buy" : "sell",
                    CtVal = "0.01",
                    CtMult = "1",
                    CtType = "linear",
                    CtValCcy = "BTC",
                    QtyBase = (size * 0.01m).ToString(CultureInfo.InvariantCulture),
                    RecvTs = ts + 20 + random.Next(30),
                    Src = "ws",
                };
                RawTradeWriter.Write(appender, trade);
                appender.EndLine();
            }

            appender.Sync();
        }

        await File.WriteAllTextAsync(marker, wanted, token);
        return list;
    }

    /// <summary>
    /// Compacts every day to Parquet (zstd) with DuckDB COPY into another vault: the raw columns as stored
    /// (text decimals, ms times), or typed (the trades view's DECIMAL and TIMESTAMPTZ types). Returns seconds taken.
    /// </summary>
    private static async Task<double> ConvertAsync(VaultLayout from, VaultLayout to, IReadOnlyList<DateOnly> days,
        bool typed, TextWriter progress, CancellationToken token)
    {
        if (Directory.Exists(to.Root))
        {
            Directory.Delete(to.Root, recursive: true);
        }

        await progress.WriteLineAsync($"bench: converting {days.Count} day(s) to {(typed ? "typed " : "")}Parquet (zstd) ...");
        var watch = Stopwatch.StartNew();
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute("SET TimeZone = 'UTC'");
        if (typed)
        {
            VaultViews.Create(connection, from);
        }

        if (!typed)
        {
            // The real compaction code path (`pipeline compact`): COPY, verify, rename, remove the JSONL copy.
            foreach (var day in days)
            {
                var copy = to.RawDayJsonl(Exchange, InstId, day);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(from.RawDayJsonl(Exchange, InstId, day), copy);
            }

            watch.Restart();
            var report = new VaultCompactor(to, new CompactionOptions { IncludeDerived = false }).Run(token: token);
            if (report.Compacted != days.Count)
            {
                throw new InvalidOperationException(
                    $"compaction did {report.Compacted} of {days.Count} day(s): {string.Join("; ", report.Days.Select(d => $"{d.Day} {d.Outcome} {d.Reason}"))}");
            }

            return watch.Elapsed.TotalSeconds;
        }

        foreach (var day in days)
        {
            token.ThrowIfCancellationRequested();
            var target = to.RawDayParquet(Exchange, InstId, day);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var select = typed
                ? $"SELECT * EXCLUDE (date) FROM trades WHERE date = DATE '{day:yyyy-MM-dd}'"
                : VaultViews.RawTradesSelect(from.RawDayJsonl(Exchange, InstId, day));
            connection.Execute($"COPY ({select}) TO {VaultViews.Literal(target)} (FORMAT parquet, COMPRESSION zstd)");
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static long Size(VaultLayout vault, string pattern) =>
        Directory.Exists(vault.RawDir)
            ? Directory.EnumerateFiles(vault.RawDir, pattern, SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;
}
