using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Spectre.Console;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// <c>pipeline bench backtest</c>: one simulated day of many trades (2.4 M by default, from the
/// simulator's deterministic market) backtested end to end — calculators, minute join, trade replay,
/// paper engine — as JSONL and as a compacted Parquet day; the peer is a plain line scan of the same file.
/// </summary>
public static class BacktestBench
{
    private const string Exchange = "okx";
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly DateOnly Day = new(2026, 2, 2);

    private static readonly Option<int> Trades = new("--trades")
    {
        Description = "trades in the day (default 2400000)",
        DefaultValueFactory = _ => 2_400_000,
    };

    private static readonly Option<string?> Scratch = new("--scratch")
    {
        Description = "scratch directory (default: <temp>/pipeline-bench/backtest); a day made with the same options is reused",
    };

    public static Command Create()
    {
        var command = new Command("backtest", "Time a backtest of one large simulated day (JSONL and compacted Parquet) against a plain line scan of the same file");
        command.Options.Add(Trades);
        command.Options.Add(Scratch);
        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var trades = context.Get(Trades);
        if (trades < 1000)
        {
            throw new UsageException("--trades must be at least 1000");
        }

        var scratch = Path.GetFullPath(context.Get(Scratch) ?? Path.Combine(Path.GetTempPath(), "pipeline-bench", "backtest"));
        var jsonlVault = new VaultLayout(Path.Combine(scratch, "jsonl"));
        var parquetVault = new VaultLayout(Path.Combine(scratch, "parquet"));
        var written = await EnsureDayAsync(jsonlVault, trades, context.Error, token);
        if (!File.Exists(parquetVault.RawDayParquet(Exchange, InstId, Day)))
        {
            await context.Error.WriteLineAsync("bench: compacting a copy to Parquet ...");
            var copy = parquetVault.RawDayJsonl(Exchange, InstId, Day);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(jsonlVault.RawDayJsonl(Exchange, InstId, Day), copy, overwrite: true);
            new VaultCompactor(parquetVault, new CompactionOptions { IncludeDerived = false }).Run(token: token);
        }

        var config = StrategyRegistry.CreateDefault().Parse(
            $"id: bench\nstrategy: vwap_mean_reversion\nexchange: {Exchange}\ninstId: {InstId}\n", "(bench)");

        await context.Error.WriteLineAsync("bench: line scan ...");
        var scan = Stopwatch.StartNew();
        long lines = 0;
        using (var reader = JsonlReader.Open(jsonlVault.RawDayJsonl(Exchange, InstId, Day)))
        {
            while (reader.TryReadLine(out _, out _))
            {
                lines++;
            }
        }

        var scanSeconds = scan.Elapsed.TotalSeconds;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("raw day as")
            .AddColumn(new TableColumn("total s").RightAligned()).AddColumn(new TableColumn("calculators s").RightAligned())
            .AddColumn(new TableColumn("replay s").RightAligned()).AddColumn(new TableColumn("trades/s").RightAligned())
            .AddColumn(new TableColumn("× line scan").RightAligned()).AddColumn(new TableColumn("round trips").RightAligned());
        foreach (var (name, vault) in new[] { ("JSONL", jsonlVault), ("Parquet", parquetVault) })
        {
            await context.Error.WriteLineAsync($"bench: backtest over {name} ...");
            using var backtester = new Backtester(vault, Exchange, InstId, Day, Day);
            var run = await Task.Run(() => backtester.Run(config, token: token), token);
            var total = run.Elapsed.TotalSeconds;
            table.AddRow(name, F(total), F(run.CalculatorTime.TotalSeconds), F(total - run.CalculatorTime.TotalSeconds),
                (run.Trades / total).ToString("N0", CultureInfo.InvariantCulture), (total / scanSeconds).ToString("0.0", CultureInfo.InvariantCulture) + "×",
                run.Report.TradeCount.ToString(CultureInfo.InvariantCulture));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(context.Output),
        });
        console.Profile.Width = 160;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one day of {written:N0} simulated trades of {Exchange} {InstId} ({new FileInfo(jsonlVault.RawDayJsonl(Exchange, InstId, Day)).Length / 1048576.0:0} MiB JSONL); " +
            $"peer: a plain line scan of the JSONL ({lines:N0} lines) in {scanSeconds:0.00} s; {Environment.ProcessorCount} cores"));
        console.Write(table);
        return ExitCodes.Ok;
    }

    private static string F(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Writes the day from the simulator's market at the rate that gives about <paramref name="trades"/> fills.</summary>
    private static async Task<long> EnsureDayAsync(VaultLayout vault, int trades, TextWriter progress, CancellationToken token)
    {
        var path = vault.RawDayJsonl(Exchange, InstId, Day);
        var marker = path + ".bench";
        var wanted = trades.ToString(CultureInfo.InvariantCulture);
        if (File.Exists(path) && File.Exists(marker) && await File.ReadAllTextAsync(marker, token) == wanted)
        {
            await progress.WriteLineAsync($"bench: reusing {path}");
            return File.ReadLines(path).LongCount();
        }

        if (Directory.Exists(Path.GetDirectoryName(vault.Root)))
        {
            foreach (var dir in new[] { vault.Root, Path.Combine(Path.GetDirectoryName(vault.Root)!, "parquet") }.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        await progress.WriteLineAsync($"bench: writing about {trades:N0} simulated trades for {Day:yyyy-MM-dd} ...");
        var instrument = SimInstruments.Find(InstId);
        // The generator's mean runs about 4 % under its nominal rate.
        var market = new MarketGenerator(instrument, 42, trades / 86_400.0 * 1.039);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long count = 0;
        using (var appender = JsonlAppender.Open(path))
        {
            var start = TradeTime.DayStartMs(Day);
            for (var block = MarketGenerator.BlockOf(start); block < MarketGenerator.BlockOf(start + TradeTime.MsPerDay); block++)
            {
                token.ThrowIfCancellationRequested();
                foreach (var fill in market.Block(block).Fills.Span)
                {
                    RawTradeWriter.Write(appender, TruthWriter.ToRawTrade(instrument, fill));
                    appender.EndLine();
                    count++;
                }
            }

            appender.Sync();
        }

        await File.WriteAllTextAsync(marker, wanted, token);
        return count;
    }
}
