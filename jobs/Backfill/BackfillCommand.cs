using System.CommandLine;
using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Exporter.Backfill;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Trades;
using Serilog;
using Spectre.Console;

namespace Pipeline.Jobs.Backfill;

/// <summary>
/// <c>pipeline backfill</c>: fills closed UTC days of the raw vault from the exchanges' daily archives or
/// REST history (one line per trade, merged with what the exporter recorded), resumable, then
/// recalculates the derived outputs from the first day that changed.
/// </summary>
public static class BackfillCommand
{
    private static readonly Option<string> Exchange = new("--exchange") { Description = "okx or binance", Required = true };
    private static readonly Option<string> Inst = new("--inst") { Description = "Instruments, comma separated (BTC-USDT-SWAP,ETH-USDT-SWAP or BTCUSDT)", Required = true };
    private static readonly Option<string> From = new("--from") { Description = "First UTC day (yyyy-MM-dd)", Required = true };
    private static readonly Option<string?> To = new("--to") { Description = "Last UTC day (yyyy-MM-dd, default --from); at most yesterday: today's file belongs to the live exporter" };
    private static readonly Option<string> Source = new("--source") { Description = "auto (archive when it exists, else REST history), archive or rest", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string?> ArchiveUrl = new("--archive-url") { Description = "Archive base URL. OKX default: discover files through market-data-history; Binance default: https://data.binance.vision" };
    private static readonly Option<string?> RestUrl = new("--rest-url") { Description = "REST base URL (default: https://www.okx.com or https://fapi.binance.com)" };
    private static readonly Option<bool> Force = new("--force") { Description = "Redo days the state lists as done" };
    private static readonly Option<double?> RestInterval = new("--rest-interval") { Description = "Minimum milliseconds between REST history requests (default OKX 110, Binance 500)" };
    private static readonly Option<bool> NoRecalc = new("--no-recalc") { Description = "Do not recalculate the derived outputs of the changed days" };

    public static Command Create()
    {
        var command = new Command("backfill",
            "Fill closed UTC days of the raw vault from daily archives (OKX UTC+8 trade files, Binance aggTrades with .CHECKSUM) " +
            "or REST history (OKX ~3 months, Binance aggTrades ~2 days), merged with what the exporter recorded (one line per trade, " +
            "atomic replace of the day). Resumable: state/backfill/{exchange}/{instId}.json lists the days done (--force redoes them). " +
            "Ends by recalculating the derived outputs from the first changed day. Exit 1 names every failed day.\n" +
            "Example: pipeline backfill --exchange okx --inst BTC-USDT-SWAP --from 2026-10-01 --to 2026-10-31");
        foreach (var option in new Option[] { Exchange, Inst, From, To, Source, ArchiveUrl, RestUrl, Force, RestInterval, NoRecalc })
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, RunAsync, vault: VaultUse.Record);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var from = CommonOptions.Day(context.Get(From), "--from");
        var options = new BackfillOptions
        {
            Exchange = CommonOptions.ExchangeFilter(context.Get(Exchange)) ?? string.Empty,
            InstIds = CommonOptions.InstIds(context.Get(Inst)),
            From = from,
            To = context.Get(To) is { } to ? CommonOptions.Day(to, "--to") : from,
            Source = (context.Get(Source) ?? "auto").Trim().ToLowerInvariant() switch
            {
                "auto" => BackfillSource.Auto,
                "archive" => BackfillSource.Archive,
                "rest" => BackfillSource.Rest,
                var other => throw new UsageException($"--source: '{other}' is not auto, archive or rest"),
            },
            ArchiveUrl = Url(context.Get(ArchiveUrl), "--archive-url"),
            RestUrl = Url(context.Get(RestUrl), "--rest-url"),
            Force = context.Get(Force),
            RestInterval = context.Get(RestInterval) is { } ms
                ? (ms >= 0 ? TimeSpan.FromMilliseconds(ms) : throw new UsageException("--rest-interval must not be negative"))
                : null,
        };
        try
        {
            options.Validate(TradeTime.Day(context.Time.GetUtcNow().ToUnixTimeMilliseconds()));
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        var report = await BackfillWithProgressAsync(context, options, token);
        await PrintSummaryAsync(context, report);
        if (!context.Get(NoRecalc))
        {
            await RecalcAsync(context, report, token);
        }

        var failed = report.Failed.ToList();
        if (failed.Count == 0)
        {
            return ExitCodes.Ok;
        }

        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"error: backfill failed for {failed.Count} day(s), left unchanged: ") +
            string.Join("; ", failed.Select(d => $"{options.Exchange} {d.InstId} {d.Day:yyyy-MM-dd}: {d.Message}")));
        return ExitCodes.Failure;
    }

    private static async Task<BackfillReport> BackfillWithProgressAsync(CommandContext context, BackfillOptions options, CancellationToken token)
    {
        var interactive = ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected;
        var started = context.Time.GetTimestamp();
        if (!interactive)
        {
            // Redirected output: one plain line per (instrument, day).
            var service = new BackfillService(options, context.Vault, context.Time)
            {
                Progress = p =>
                {
                    if (p.Stage is "done" or "skipped" or "failed")
                    {
                        context.Output.WriteLine(Line(options.Exchange, p, context.Time.GetElapsedTime(started)));
                    }
                },
            };
            return await service.RunAsync(token);
        }

        var console = CliConsole.For(context.Output);
        BackfillReport? report = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 },
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("backfill", maxValue: 1);
                // Per-day lines would tear the live bar: only warnings and errors are logged while it shows (the summary follows).
                using var quiet = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Logger(Log.Logger).CreateLogger();
                var service = new BackfillService(options, context.Vault, context.Time, quiet)
                {
                    Progress = p =>
                    {
                        task.MaxValue = Math.Max(1, p.DaysTotal);
                        task.Value = p.DaysDone;
                        task.Description = Markup.Escape(Describe(p, context.Time.GetElapsedTime(started)));
                    },
                };
                report = await service.RunAsync(token);
                task.Value = task.MaxValue;
            });
        return report!;
    }

    private static string Describe(BackfillProgress p, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? p.Trades / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.InstId} {p.Day:yyyy-MM-dd} {p.Stage} {Math.Min(p.DaysDone + 1, p.DaysTotal)}/{p.DaysTotal} days, {p.Trades:N0} trades, {rate:N0}/s");
    }

    private static string Line(string exchange, BackfillProgress p, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? p.Trades / elapsed.TotalSeconds : 0;
        var eta = p.DaysDone > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds / p.DaysDone * (p.DaysTotal - p.DaysDone)) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{p.DaysDone}/{p.DaysTotal}] {exchange} {p.InstId} {p.Day:yyyy-MM-dd} {p.Stage}; {p.Trades:N0} trades, {rate:N0} trades/s, ETA {eta:hh\\:mm\\:ss}");
    }

    private static async Task PrintSummaryAsync(CommandContext context, BackfillReport report)
    {
        foreach (var d in report.Days)
        {
            var what = d.Outcome switch
            {
                BackfillOutcome.Done => string.Create(CultureInfo.InvariantCulture,
                    $"{d.Fetched:N0} trades from {d.Source}, {d.Added:N0} added, {d.Existing:N0} lines were there"),
                BackfillOutcome.Skipped => "skipped: " + d.Message,
                _ => "FAILED (unchanged): " + d.Message,
            };
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Exchange} {d.InstId} {d.Day:yyyy-MM-dd}: {what}"));
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"backfill: {report.Days.Count(d => d.Outcome == BackfillOutcome.Done)} days done, {report.Days.Count(d => d.Outcome == BackfillOutcome.Skipped)} skipped, {report.Failed.Count()} failed; {report.Fetched:N0} trades fetched, {report.Added:N0} added in {report.Elapsed.TotalSeconds:0.0} s ({report.TradesPerSecond:N0} trades/s)"));
    }

    private static async Task RecalcAsync(CommandContext context, BackfillReport report, CancellationToken token)
    {
        foreach (var (instId, first) in report.FirstTouchedDay.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var result = await Task.Run(() => CalculatorRunner.Recalc(context.Vault, new CalcOptions { Time = context.Time },
                report.Exchange, instId, first, null, token), token);
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"recalc {report.Exchange} {instId} from {first:yyyy-MM-dd}: {result.TradesRead:N0} trades, {result.BarsEmitted:N0} minutes, {result.Elapsed.TotalMilliseconds:0} ms"));
        }
    }

    private static Uri? Url(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{name}: '{text}' is not an absolute http:// or https:// URL");
    }
}
