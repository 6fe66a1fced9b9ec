using System.CommandLine;
using System.Globalization;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Chart;

/// <summary>
/// <c>pipeline chart</c>: price (1-minute close) with VWAP, bands, entries, exits and stop/take-profit
/// levels over a chosen range, as SVG or PNG, for a backtest's report directory or a paper/live
/// strategy's ledger in the vault. Without a range: the last day with data.
/// </summary>
public static class ChartCommand
{
    private static readonly Option<string?> Strategy = new("--strategy")
    {
        Description = "a paper/live strategy: its id (or its strategy file) names ledger/<id>/ and its decision records in the vault",
    };

    private static readonly Option<string?> BacktestDir = new("--backtest") { Description = "a backtest report directory (written by `pipeline backtest --report DIR`)" };

    private static readonly Option<string?> Exchange = new("--exchange") { Description = "okx|binance (default: the strategy's or the backtest's only one)" };

    private static readonly Option<string?> Inst = new("--inst") { Description = "instrument (default: the strategy's or the backtest's only one)" };

    private static readonly Option<string?> From = new("--from")
    {
        Description = "start: yyyy-MM-dd (that day's 00:00) or yyyy-MM-ddTHH:mm[:ss] (UTC); default: the start of the last day with data",
    };

    private static readonly Option<string?> To = new("--to")
    {
        Description = "end: yyyy-MM-dd (inclusive: to that day's end) or yyyy-MM-ddTHH:mm[:ss] (UTC, exclusive); default: the end of the data after --from, else a day",
    };

    private static readonly Option<string?> Out = new("--out")
    {
        Description = "FILE.svg or FILE.png (default ./chart_<strategy>_<inst>_<from>_<to>.svg)",
    };

    public static Command Create()
    {
        var command = new Command("chart",
            "Draw price (1-minute close) with VWAP, bands, entries, exits and stop/take-profit levels for a time range, as SVG or PNG, " +
            "from a backtest's report directory (--backtest DIR) or a paper/live strategy's ledger (--strategy ID).");
        command.Options.Add(Strategy);
        command.Options.Add(BacktestDir);
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Out);
        CommandAction.Set(command, RunAsync, fileLog: false, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var strategy = context.Get(Strategy);
        var backtest = context.Get(BacktestDir);
        if ((strategy is null) == (backtest is null))
        {
            throw new UsageException("chart: give either --strategy ID (a paper/live ledger) or --backtest DIR (a backtest report directory)");
        }

        var exchange = CommonOptions.ExchangeFilter(context.Get(Exchange));
        var inst = CommonOptions.InstIds(context.Get(Inst)) switch
        {
            [] => null,
            [var one] => one,
            _ => throw new UsageException("--inst: one instrument per chart"),
        };
        if (strategy is not null && File.Exists(strategy) && Path.GetExtension(strategy) is ".yaml" or ".yml")
        {
            // A strategy file, as `backtest --strategy` takes: its id names the ledger, its instrument the default.
            var config = Strategies.StrategyRegistry.CreateDefault().Load(strategy);
            (strategy, exchange, inst) = (config.Id, exchange ?? config.Exchange, inst ?? config.InstId);
        }

        if (strategy is not null && !Pipeline.Vault.Layout.VaultNames.IsName(strategy))
        {
            throw new UsageException($"--strategy: '{CommonOptions.Shown(strategy)}' is not a strategy id (the id: of a strategy file, e.g. vwap_mean_reversion)");
        }
        var from = context.Get(From) is { } f ? Time(f, "--from", end: false) : (long?)null;
        var to = context.Get(To) is { } t ? Time(t, "--to", end: true) : (long?)null;
        var output = context.Get(Out);
        if (output is not null && !output.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) && !output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--out {output}: name a .svg or .png file");
        }

        ChartData data;
        string id, instId;
        long fromMs, toMs;
        if (backtest is not null)
        {
            (data, var bExchange, instId) = BacktestChartSource.Load(Path.GetFullPath(backtest));
            if ((exchange is not null && exchange != bExchange) || (inst is not null && inst != instId))
            {
                throw new UsageException($"--backtest {backtest} is a run of {bExchange}/{instId}, not {exchange ?? bExchange}/{inst ?? instId}");
            }

            id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(backtest)));
            (fromMs, toMs) = Range(from, to, data.Minutes.Select(m => m.MinuteMs).ToList(), $"the backtest in {backtest}");
        }
        else
        {
            var vault = context.Vault;
            (var sExchange, instId) = LedgerChartSource.Instrument(vault, strategy!, exchange, inst);
            var days = LedgerChartSource.Days(vault, strategy!, sExchange, instId);
            if (days.Count == 0)
            {
                throw new UsageException($"--strategy {strategy}: no minutes of {sExchange}/{instId} in {vault.Root} (no decision records, no derived/bars_1m)");
            }

            var lastDayEnd = TradeTime.DayStartMs(days[^1].AddDays(1));
            (fromMs, toMs) = (from, to) switch
            {
                (null, null) => (TradeTime.DayStartMs(days[^1]), lastDayEnd),
                ({ } a, null) => (a, Math.Max(a + TradeTime.MsPerMinute, lastDayEnd)),
                (null, { } b) => (b - TradeTime.MsPerDay, b),
                ({ } a, { } b) => (a, b),
            };
            Check(fromMs, toMs);
            data = LedgerChartSource.Load(vault, strategy!, sExchange, instId, fromMs, toMs);
            if (from is null && to is null && data.Minutes.Count > 0)
            {
                toMs = Math.Min(toMs, data.Minutes.Max(m => m.MinuteMs) + TradeTime.MsPerMinute); // a running day: up to its last minute
            }

            id = strategy!;
        }

        var inRange = data.Minutes.Count(m => m.MinuteMs >= fromMs && m.MinuteMs < toMs);
        if (inRange == 0)
        {
            var span = data.Minutes.Count == 0 ? "none at all"
                : $"data from {Iso(data.Minutes.Min(m => m.MinuteMs))} to {Iso(data.Minutes.Max(m => m.MinuteMs) + TradeTime.MsPerMinute)}";
            throw new UsageException($"no minutes of {instId} between {Iso(fromMs)} and {Iso(toMs)} ({span})");
        }

        var svg = PriceChartSvg.Render(data, fromMs, toMs);
        var path = Path.GetFullPath(output ?? $"chart_{id}_{instId}_{Stamp(fromMs)}_{Stamp(toMs)}.svg");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            await File.WriteAllBytesAsync(path, PngExport.FromSvg(svg), token);
        }
        else
        {
            await File.WriteAllTextAsync(path, svg, token);
        }

        var marks = data.Marks.Where(m => m.Ts >= fromMs && m.Ts <= toMs).ToList();
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {instId} {Iso(fromMs)} – {Iso(toMs)}, {inRange} minutes, {marks.Count(m => m.IsEntry)} entries, {marks.Count(m => !m.IsEntry)} exits ({marks.Count(m => m.Kind == "stop_loss")} at the stop)"));
        return ExitCodes.Ok;
    }

    /// <summary>[from, to) for a backtest: as given, else the last day with minutes (a range that starts at --from runs to the end of the data).</summary>
    private static (long, long) Range(long? from, long? to, List<long> minutes, string what)
    {
        if (minutes.Count == 0)
        {
            throw new UsageException($"{what} has no minutes to draw");
        }

        var end = minutes.Max() + TradeTime.MsPerMinute;
        var (a, b) = (from, to) switch
        {
            (null, null) => (TradeTime.DayStartMs(TradeTime.Day(end - 1)), end),
            ({ } x, null) => (x, Math.Max(end, x + TradeTime.MsPerMinute)),
            (null, { } y) => (y - TradeTime.MsPerDay, y),
            ({ } x, { } y) => (x, y),
        };
        Check(a, b);
        return (a, b);
    }

    private static void Check(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
        {
            throw new UsageException($"--to {Iso(toMs)} is not after --from {Iso(fromMs)}");
        }
    }

    /// <summary>A day (its start; with <paramref name="end"/> the next day's start, so --to is inclusive) or a UTC time.</summary>
    internal static long Time(string text, string option, bool end)
    {
        var c = CultureInfo.InvariantCulture;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", c, DateTimeStyles.None, out var day))
        {
            return TradeTime.DayStartMs(end ? day.AddDays(1) : day);
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        return DateTimeOffset.TryParseExact(text, formats, c, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new UsageException($"{option}: '{text}' is not a day (yyyy-MM-dd) or a UTC time (yyyy-MM-ddTHH:mm[:ss])");
    }

    private static string Iso(long ms) => TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Stamp(long ms) => TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
}
