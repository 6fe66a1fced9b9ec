using System.Diagnostics;
using System.Globalization;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// The start-up part of <c>pipeline bench query</c>: <c>select 1</c> on generated vaults of 0, 1,000 and
/// 10,000 small day files (raw JSONL, raw Parquet, bars_1m and vwap days in turn), timed in this process
/// (opening the query session: creating the views) and as a fresh <c>pipeline query "select 1"</c> process,
/// with the ratio to the empty vault.
/// </summary>
public static class StartupBench
{
    public static IReadOnlyList<int> Sizes { get; } = [0, 1_000, 10_000];

    public sealed record Row(int Files, double InProcessMs, double ProcessMs);

    public static async Task<IReadOnlyList<Row>> RunAsync(string scratch, int runs, TextWriter progress, CancellationToken token)
    {
        var rows = new List<Row>();
        foreach (var size in Sizes)
        {
            token.ThrowIfCancellationRequested();
            var vault = new VaultLayout(Path.Combine(scratch, "startup-" + size.ToString(CultureInfo.InvariantCulture)));
            await EnsureAsync(vault, size, progress, token);
            await progress.WriteLineAsync($"bench: select 1 on {size:N0} day files ...");
            rows.Add(new Row(size, Median(runs, () => InProcess(vault)), Median(runs, () => Process(vault))));
        }

        return rows;
    }

    private static double Median(int runs, Action action)
    {
        action(); // warm-up: file system cache, JIT
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static void InProcess(VaultLayout vault)
    {
        using var query = VaultQuery.Open(vault);
        using var reader = query.Query("select 1");
        if (!reader.Read())
        {
            throw new InvalidOperationException("select 1 returned no row");
        }
    }

    /// <summary>A fresh process of this program running <c>query "select 1"</c>, as a script or cron job would.</summary>
    private static void Process(VaultLayout vault)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StartupBench).Assembly.Location); // run as `dotnet pipeline.dll`
        }

        foreach (var arg in (string[])["query", "select 1", "--format", "csv", "--vault", vault.Root])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !output.Contains('1', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"pipeline query \"select 1\" exited {process.ExitCode}: {error.Trim()}");
        }
    }

    /// <summary>Generates <paramref name="files"/> one-line day files (unless already there): four kinds in turn, 365 days an instrument.</summary>
    private static async Task EnsureAsync(VaultLayout vault, int files, TextWriter progress, CancellationToken token)
    {
        var marker = Path.Combine(vault.Root, "bench-startup.txt");
        var wanted = "v1 " + files.ToString(CultureInfo.InvariantCulture);
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker, token) == wanted)
        {
            return;
        }

        if (Directory.Exists(vault.Root))
        {
            Directory.Delete(vault.Root, recursive: true);
        }

        Directory.CreateDirectory(vault.Root);
        await progress.WriteLineAsync($"bench: writing {files:N0} day files in {vault.Root} ...");
        var template = Path.Combine(vault.Root, "template.parquet");
        if (files > 0)
        {
            var jsonl = Path.Combine(vault.Root, "template.jsonl");
            WriteTrade(jsonl, "okx", "INST-0", new DateOnly(2024, 1, 1));
            using var connection = DuckDbConnection.OpenInMemory();
            connection.Execute($"COPY (SELECT *, {VaultViews.RawDecimalCompanions()} FROM ({VaultViews.RawTradesSelect(jsonl)})) " +
                               $"TO {VaultViews.Literal(template)} (FORMAT parquet, COMPRESSION zstd)");
            File.Delete(jsonl);
        }

        var first = new DateOnly(2020, 1, 1);
        for (var i = 0; i < files; i++)
        {
            token.ThrowIfCancellationRequested();
            var slot = i / 4;
            var instId = "INST-" + (slot / 365).ToString(CultureInfo.InvariantCulture) + "-USDT-SWAP";
            var day = first.AddDays(slot % 365);
            switch (i % 4)
            {
                case 0:
                    WriteTrade(vault.RawDayJsonl("okx", instId, day), "okx", instId, day);
                    break;
                case 1:
                    var parquet = vault.RawDayParquet("binance", instId, day);
                    Directory.CreateDirectory(Path.GetDirectoryName(parquet)!);
                    File.Copy(template, parquet);
                    break;
                default:
                    var calc = i % 4 == 2 ? "bars_1m" : "vwap";
                    var path = vault.DerivedDay(calc, "okx", instId, day);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllTextAsync(path,
                        $$"""{"minute":"{{day:yyyy-MM-dd}}T00:00:00Z","exchange":"okx","instId":"{{instId}}","close":"65000.1","vwap1m":"65000.1"}""" + "\n", token);
                    break;
            }
        }

        if (File.Exists(template))
        {
            File.Delete(template);
        }

        await File.WriteAllTextAsync(marker, wanted, token);
    }

    private static void WriteTrade(string path, string exchange, string instId, DateOnly day)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var appender = JsonlAppender.Open(path);
        var ts = TradeTime.DayStartMs(day) + 1000;
        RawTradeWriter.Write(appender, new RawTrade
        {
            Exchange = exchange, InstId = instId, TradeId = "1", Ts = ts, Px = "65000.1", Sz = "1", Side = "buy", CtVal = "0.01",
            CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.01", RecvTs = ts + 20, Src = "ws",
        });
        appender.EndLine();
        appender.Sync();
    }
}
