using System.CommandLine;
using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest.Csv;
using Pipeline.Jobs.Calc;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Strategies;
using Spectre.Console;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// <c>pipeline backtest</c>: replays raw days through the live calculators, strategy and paper
/// engine; writes report.json, report.md and equity.svg; prints a summary (one row per sweep combination).
/// </summary>
public static class BacktestCommand
{
    private static readonly Option<string> Strategy = new("--strategy")
    {
        Description = "strategy file (config/strategies/*.yaml)",
        Required = true,
    };

    private static readonly Option<string?> Exchange = new("--exchange") { Description = "okx|binance (default: the strategy file's)" };

    private static readonly Option<string?> Inst = new("--inst") { Description = "instruments, comma separated (default: the strategy file's instId)" };

    private static readonly Option<string?> From = new("--from") { Description = "first day (yyyy-MM-dd, UTC); required without --csv, else the CSV's first day" };

    private static readonly Option<string?> To = new("--to") { Description = "last day, inclusive (yyyy-MM-dd, UTC); required without --csv, else the CSV's last day" };

    private static readonly Option<string[]> Csv = new("--csv")
    {
        Description = "replay CSV files instead of the vault (repeatable, in time order): 1-minute bars 'timestamp,open,high,low,close,volume' " +
            "or ticks 'timestamp,price,size'; UTC ISO-8601 or epoch seconds/milliseconds; sizes in the base currency. " +
            "The instrument is the strategy's (or --inst); a bad line refuses the import (exit 1)",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    private static readonly Option<string?> ReportDir = new("--report")
    {
        Description = "where report.json, report.md and equity.svg go (default ./backtest-report/{id}_{from}_{to})",
    };

    private static readonly Option<string[]> Sweep = new("--sweep")
    {
        Description = "name=v1,v2,...: run every combination of these strategy parameters (repeatable), e.g. --sweep bandMultiplier=1.5,2 --sweep takeProfitPct=0.4,0.6",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Command Create()
    {
        var command = new Command("backtest",
            "Replay raw trade days (JSONL or Parquet), or 1-minute bar / tick CSV files (--csv), through the same calculators, strategy and paper executor as the live jobs. " +
            "Indicators start cold at --from. Writes report.json, report.md, equity.svg and price.svg (a sweep also sweep.csv and sweep.md) and prints trades, win rate, profit factor, " +
            "net return after fees, expectancy, fill rate, daily Sharpe with its sample size, max drawdown, losing streak, long/short split, average holding, fees and exits by reason.");
        command.Options.Add(Strategy);
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Csv);
        command.Options.Add(ReportDir);
        command.Options.Add(Sweep);
        CalcOptionsCli.AddMicroSettings(command); // the micro stage's settings, as given to calc
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var csv = context.Get(Csv) ?? [];
        if (csv.Length == 0 && (context.Get(From) is null || context.Get(To) is null))
        {
            throw new UsageException("--from and --to are required (they may be left out only with --csv)");
        }

        var fromText = context.Get(From);
        var toText = context.Get(To);
        if (fromText is not null && toText is not null
            && CommonOptions.Day(toText, "--to") < CommonOptions.Day(fromText, "--from"))
        {
            throw new UsageException($"--to {toText} is before --from {fromText}");
        }

        var path = context.Get(Strategy)!;
        var registry = StrategyRegistry.CreateDefault();
        var base_ = registry.Load(path);
        var yaml = await File.ReadAllTextAsync(path, token);
        var grid = SweepGrid.Parse(context.Get(Sweep) ?? []);
        var configs = grid.Select(o => (Overrides: o, Config: o.Count == 0 ? base_
            : registry.Parse(SweepGrid.Apply(yaml, o), $"{path} (--sweep {SweepGrid.Label(o)})"))).ToList();
        var exchange = CommonOptions.ExchangeFilter(context.Get(Exchange) ?? base_.Exchange)!;
        var instruments = CommonOptions.InstIds(context.Get(Inst)) is { Count: > 0 } list ? list : [base_.InstId];
        if (csv.Length > 0 && instruments.Count > 1)
        {
            throw new UsageException("--csv replays one instrument: give one --inst (the CSV files are that instrument's)");
        }

        using var csvInput = csv.Length > 0 ? ImportCsv(context, csv, exchange, instruments[0], token) : null;
        if (csvInput?.Import is { } imported)
        {
            configs = [.. configs.Select(c => (c.Overrides, c.Config with { Contract = imported.Contract }))];
        }

        var from = fromText is null ? csvInput!.Import.FirstDay : CommonOptions.Day(fromText, "--from");
        var to = toText is null ? csvInput!.Import.LastDay : CommonOptions.Day(toText, "--to");
        if (to < from)
        {
            throw new UsageException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}");
        }

        var calc = CalcOptionsCli.WithMicroSettings(context, new CalcOptions { Time = context.Time });
        var source = csvInput?.Import.Vault ?? context.Vault;
        var reportRoot = Path.GetFullPath(context.Get(ReportDir)
            ?? Path.Combine("backtest-report", $"{base_.Id}_{from:yyyy-MM-dd}_{to:yyyy-MM-dd}"));

        var runs = new List<(string Dir, BacktestRun Run)>();
        var progressConsole = CliConsole.For(context.Error);
        await progressConsole.Progress().AutoClear(true).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                foreach (var instId in instruments)
                {
                    Backtester backtester;
                    try
                    {
                        backtester = new Backtester(source, exchange, instId, from, to, calc);
                        foreach (var (_, config) in configs)
                        {
                            backtester.Check(config); // e.g. a micro strategy over days without quotes or book
                        }
                    }
                    catch (ArgumentException ex)
                    {
                        throw new UsageException(ex.Message, ex);
                    }

                    using (backtester)
                    {
                        foreach (var (overrides, config) in configs)
                        {
                            var label = $"{instId}{(overrides.Count > 0 ? " " + SweepGrid.Label(overrides) : "")}";
                            var task = progress.AddTask(Markup.Escape(label), maxValue: 100);
                            var run = await Task.Run(() => backtester.Run(config, overrides, (stage, fraction) =>
                            {
                                task.Description = Markup.Escape($"{label}: {stage}");
                                task.Value = stage == "calculators" ? fraction * 30 : 30 + (fraction * 70);
                            }, token: token), token);
                            run = run with { Notes = [.. csvInput?.Import.Notes ?? [], .. run.Notes] };
                            task.Value = 100;
                            task.StopTask();
                            var dir = reportRoot;
                            if (instruments.Count > 1)
                            {
                                dir = Path.Combine(dir, instId);
                            }

                            if (configs.Count > 1)
                            {
                                dir = Path.Combine(dir, Slug(overrides));
                            }

                            BacktestReportWriter.Write(dir, run);
                            runs.Add((dir, run));
                        }
                    }
                }
            });

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(context.Output),
        });
        console.Profile.Width = 220;
        if (configs.Count == 1)
        {
            foreach (var (dir, run) in runs)
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .Title(Markup.Escape($"{run.Config.Id} on {run.Config.Exchange}/{run.Config.InstId}, {from:yyyy-MM-dd} – {to:yyyy-MM-dd}"))
                    .AddColumn("metric").AddColumn("value");
                foreach (var (name, value) in BacktestReportWriter.SummaryRows(run.Report, run.Stats))
                {
                    table.AddRow(name, Markup.Escape(value));
                }

                console.Write(table);
                foreach (var note in run.Notes)
                {
                    await context.Output.WriteLineAsync("note: " + note);
                }

                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Trades:N0} trades in {run.MinutesWithData:N0} minutes with data replayed in {run.Elapsed.TotalSeconds:0.00} s (calculators {run.CalculatorTime.TotalSeconds:0.00} s); report: {dir} (report.md, equity.svg, price.svg)"));
            }
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("instrument").AddColumn(new TableColumn("parameters").NoWrap()).AddColumn(new TableColumn("trades").RightAligned())
                .AddColumn(new TableColumn("win rate %").RightAligned()).AddColumn(new TableColumn("profit factor").RightAligned())
                .AddColumn(new TableColumn("net return %").RightAligned()).AddColumn(new TableColumn("expectancy").RightAligned())
                .AddColumn(new TableColumn("Sharpe (daily)").RightAligned()).AddColumn(new TableColumn("max DD %").RightAligned())
                .AddColumn(new TableColumn("max losses in a row").RightAligned()).AddColumn(new TableColumn("fill rate %").RightAligned())
                .AddColumn(new TableColumn("avg holding").RightAligned()).AddColumn(new TableColumn("fees").RightAligned()).AddColumn(new TableColumn("exits").NoWrap());
            var sorted = SweepSummary.Sorted(runs);
            foreach (var (_, run) in sorted)
            {
                var r = run.Report;
                var st = run.Stats;
                table.AddRow(run.Config.InstId, Markup.Escape(SweepGrid.Label(run.Overrides)), r.TradeCount.ToString(CultureInfo.InvariantCulture),
                    BacktestReportWriter.Round(r.WinRatePct, 2), r.ProfitFactor is { } pf ? BacktestReportWriter.Round(pf, 3) : "n/a",
                    BacktestReportWriter.Round(r.NetReturnPct, 4), st.Expectancy is { } e ? BacktestReportWriter.Round(e, 4) : "n/a",
                    r.DailySharpe is { } s ? string.Create(CultureInfo.InvariantCulture, $"{BacktestReportWriter.Round(s, 3)} (n={st.SharpeDays})") : "n/a",
                    BacktestReportWriter.Round(r.MaxDrawdownPct, 3), st.MaxConsecutiveLosses.ToString(CultureInfo.InvariantCulture),
                    st.FillRatePct is { } fr ? BacktestReportWriter.Round(fr, 2) : "n/a", BacktestReportWriter.Holding(r.AverageHolding),
                    BacktestReportWriter.Round(r.FeesPaid, 4), Markup.Escape(BacktestReportWriter.Exits(r)));
            }

            console.Write(table);
            foreach (var note in csvInput?.Import.Notes ?? [])
            {
                await context.Output.WriteLineAsync("note: " + note);
            }

            SweepSummary.Write(reportRoot, runs);
            await context.Output.WriteLineAsync($"sorted by {SweepSummary.SortKey}; summary: {Path.Combine(reportRoot, "sweep.md")} and sweep.csv");
            await context.Output.WriteLineAsync($"{runs.Count} runs; reports under {reportRoot}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The CSV files as raw days of a scratch vault under the temp folder (deleted on dispose). A bad line is
    /// a runtime failure: the first issues on stderr, one line each with file and line, then exit 1.
    /// </summary>
    private static CsvInput ImportCsv(CommandContext context, string[] files, string exchange, string instId, CancellationToken token)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "pipeline-csv", Guid.NewGuid().ToString("N"));
        try
        {
            return new CsvInput(scratch, CsvMarketImporter.Import(files, exchange, instId, scratch, token));
        }
        catch (CsvImportException ex) when (ex.Issues.Count > 0)
        {
            CsvInput.Delete(scratch);
            foreach (var issue in ex.Issues)
            {
                context.Error.WriteLine("error: " + issue);
            }

            var more = ex.Count - ex.Issues.Count;
            throw new CsvImportException(
                $"{ex.Count} bad CSV line(s){(more > 0 ? $" ({more} more not listed)" : "")}; nothing was replayed: fix or remove them and run again");
        }
        catch
        {
            CsvInput.Delete(scratch);
            throw;
        }
    }

    private sealed class CsvInput(string scratch, CsvImport import) : IDisposable
    {
        public CsvImport Import { get; } = import;

        public static void Delete(string scratch)
        {
            try
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
            catch (IOException)
            {
                // best effort: a scratch directory under temp
            }
        }

        public void Dispose() => Delete(scratch);
    }

    private static string Slug(IReadOnlyDictionary<string, string> overrides) =>
        string.Join("_", overrides.Select(o => $"{o.Key}={o.Value}")).Replace('/', '-').Replace('\\', '-');
}
