using System.CommandLine;
using System.Globalization;
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

    private static readonly Option<string> From = new("--from") { Description = "first day (yyyy-MM-dd, UTC)", Required = true };

    private static readonly Option<string> To = new("--to") { Description = "last day, inclusive (yyyy-MM-dd, UTC)", Required = true };

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
            "Replay raw trade days (JSONL or Parquet) through the same calculators, strategy and paper executor as the live jobs. " +
            "Indicators start cold at --from. Writes report.json, report.md and equity.svg and prints trades, win rate, profit factor, " +
            "net return after fees, daily Sharpe, max drawdown, average holding, fees and exits by reason.");
        command.Options.Add(Strategy);
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(ReportDir);
        command.Options.Add(Sweep);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var from = CommonOptions.Day(context.Get(From)!, "--from");
        var to = CommonOptions.Day(context.Get(To)!, "--to");
        if (to < from)
        {
            throw new UsageException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}");
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
                        backtester = new Backtester(context.Vault, exchange, instId, from, to);
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
                foreach (var (name, value) in BacktestReportWriter.SummaryRows(run.Report))
                {
                    table.AddRow(name, Markup.Escape(value));
                }

                console.Write(table);
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Trades:N0} trades and {run.Minutes:N0} minutes replayed in {run.Elapsed.TotalSeconds:0.00} s (calculators {run.CalculatorTime.TotalSeconds:0.00} s); report: {dir}"));
            }
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("instrument").AddColumn("parameters").AddColumn(new TableColumn("trades").RightAligned())
                .AddColumn(new TableColumn("win rate %").RightAligned()).AddColumn(new TableColumn("profit factor").RightAligned())
                .AddColumn(new TableColumn("net return %").RightAligned()).AddColumn(new TableColumn("Sharpe (daily)").RightAligned())
                .AddColumn(new TableColumn("max DD %").RightAligned()).AddColumn(new TableColumn("avg holding").RightAligned())
                .AddColumn(new TableColumn("fees").RightAligned()).AddColumn("exits");
            foreach (var (_, run) in runs)
            {
                var r = run.Report;
                table.AddRow(run.Config.InstId, Markup.Escape(SweepGrid.Label(run.Overrides)), r.TradeCount.ToString(CultureInfo.InvariantCulture),
                    BacktestReportWriter.Round(r.WinRatePct, 2), r.ProfitFactor is { } pf ? BacktestReportWriter.Round(pf, 3) : "n/a",
                    BacktestReportWriter.Round(r.NetReturnPct, 4), r.DailySharpe is { } s ? BacktestReportWriter.Round(s, 3) : "n/a",
                    BacktestReportWriter.Round(r.MaxDrawdownPct, 3), BacktestReportWriter.Holding(r.AverageHolding),
                    BacktestReportWriter.Round(r.FeesPaid, 4), Markup.Escape(BacktestReportWriter.Exits(r)));
            }

            console.Write(table);
            await context.Output.WriteLineAsync($"{runs.Count} runs; reports under {reportRoot}");
        }

        return ExitCodes.Ok;
    }

    private static string Slug(IReadOnlyDictionary<string, string> overrides) =>
        string.Join("_", overrides.Select(o => $"{o.Key}={o.Value}")).Replace('/', '-').Replace('\\', '-');
}
