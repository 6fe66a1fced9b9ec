using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Status;
using Spectre.Console;

namespace Pipeline.Jobs.Status;

/// <summary><c>pipeline status</c>: per instrument, what is on disk and how far each calculator has got.</summary>
public static class StatusCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print JSON instead of a table" };
    private static readonly Option<string?> Exchange = new("--exchange") { Description = "Only this exchange (okx|binance)" };
    private static readonly Option<string?> Inst = new("--inst") { Description = "Only these instruments (comma list)" };

    public static Command Create()
    {
        var command = new Command("status", "Show raw days, lines, first/last trade, exporter watermark and calculator lag per instrument; each strategy's (paper or live) position, PnL and risk halts; the microstructure days");
        command.Options.Add(Json);
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var exchange = CommonOptions.ExchangeFilter(context.Get(Exchange));
        var instIds = CommonOptions.InstIds(context.Get(Inst)).ToHashSet(StringComparer.Ordinal);
        var reader = new VaultStatusReader(context.Vault);
        var statuses = reader.Read(exchange, instIds);
        var micro = MicroStatus.Read(context.Vault, exchange, instIds);
        if (context.Get(Json))
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                vault = context.Vault.Root,
                instruments = statuses.Select(s => ToJson(s, WarmUpStatus.Read(context.Vault, s.Exchange, s.InstId))),
                strategies = StrategyStatus.ReadAll(context.Vault),
                micro,
            }, JsonOptions));
            return ExitCodes.Ok;
        }

        if (statuses.Count == 0)
        {
            await context.Output.WriteLineAsync($"The vault at {context.Vault.Root} holds no raw trades yet. Record some with `pipeline export` or try `./run.sh demo`.");
            await MicroSectionAsync(context.Output, micro);
            return ExitCodes.Ok;
        }

        var console = CliConsole.For(context.Output);
        var table = new Table().Title($"vault {Markup.Escape(context.Vault.Root)}");
        foreach (var column in new[] { "exchange", "instId", "days", "lines", "first trade", "last trade", "watermark", "exporter", "health" })
        {
            table.AddColumn(column);
        }

        table.AddColumn("calculators (lag)");
        foreach (var s in statuses)
        {
            table.AddRow(new[]
            {
                s.Exchange, s.InstId,
                s.ParquetDays > 0 ? $"{s.Days} ({s.ParquetDays} parquet)" : s.Days.ToString(CultureInfo.InvariantCulture),
                s.Lines.ToString("N0", CultureInfo.InvariantCulture), Time(s.FirstTradeTs), Time(s.LastTradeTs),
                Time(s.Exporter?.WatermarkTs is > 0 ? s.Exporter.WatermarkTs : null), s.Exporter?.Connection ?? "-",
                Health(s), Calculators(s.Calculators),
            }.Select(Markup.Escape).ToArray());
        }

        console.Write(table);
        await StatusSections.WriteAsync(context.Output, context.Vault, statuses);
        await MicroSectionAsync(context.Output, micro);
        return ExitCodes.Ok;
    }

    private static async Task MicroSectionAsync(TextWriter output, IReadOnlyList<MicroStatus> micro)
    {
        if (micro.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync("Microstructure (raw/{exchange}/{kind}_perps; days, lines, newest event time UTC):");
        foreach (var status in micro)
        {
            await output.WriteLineAsync("  " + status.Text());
        }
    }

    /// <summary>
    /// "ok" only when nothing known is wrong; known gaps (holes the exporter could not prove filled) and an
    /// unreadable exporter state are named, so such an instrument is never shown as healthy.
    /// </summary>
    private static string Health(InstrumentStatus s)
    {
        if (s.ExporterStateError is not null)
        {
            return "STATE UNREADABLE";
        }

        if (s.KnownGaps.Count == 0)
        {
            return s.DamagedFiles.Count == 0 ? "ok" : $"{s.DamagedFiles.Count.ToString(CultureInfo.InvariantCulture)} DAMAGED FILE(S)";
        }

        var first = s.KnownGaps.MinBy(g => g.FromTs)!;
        var gaps = s.KnownGaps.Count == 1 ? "1 KNOWN GAP" : $"{s.KnownGaps.Count.ToString(CultureInfo.InvariantCulture)} KNOWN GAPS";
        return $"{gaps} (from {Time(first.FromTs)})";
    }

    /// <summary>All calculators at one minute: that minute and its lag; otherwise the slowest one named.</summary>
    private static string Calculators(IReadOnlyList<CalculatorStatus> calcs)
    {
        if (calcs.Count == 0)
        {
            return "-";
        }

        var slowest = calcs.OrderBy(c => c.LastMinute ?? DateTimeOffset.MinValue).First();
        var minute = slowest.LastMinute is { } m ? m.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "none yet";
        var all = calcs.All(c => c.LastMinute == slowest.LastMinute);
        return all ? $"{minute} ({Lag(slowest.Lag)})" : $"{slowest.Calc} behind: {minute} ({Lag(slowest.Lag)})";
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static object ToJson(InstrumentStatus s, IReadOnlyList<WarmUpProgress>? warmUp) => new
    {
        s.Exchange,
        s.InstId,
        s.Days,
        s.ParquetDays,
        firstDay = s.FirstDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        lastDay = s.LastDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        s.Lines,
        s.Healthy,
        s.ExporterStateError,
        damagedFiles = s.DamagedFiles.Select(d => new { d.Path, d.Reason }),
        knownGaps = s.KnownGaps.Select(g => new
        {
            g.AfterTradeId,
            g.BeforeTradeId,
            from = Iso(g.FromTs),
            to = Iso(g.ToTs),
            g.FromTs,
            g.ToTs,
            g.Reason,
            detectedAt = Iso(g.DetectedAt > 0 ? g.DetectedAt : null),
        }),
        firstTrade = Iso(s.FirstTradeTs),
        lastTrade = Iso(s.LastTradeTs),
        exporter = s.Exporter is null ? null : new
        {
            s.Exporter.Connection,
            watermark = Iso(s.Exporter.WatermarkTs > 0 ? s.Exporter.WatermarkTs : null),
            s.Exporter.LastTradeId,
            s.Exporter.Counters,
        },
        calculators = s.Calculators.Select(c => new
        {
            c.Calc,
            lastMinute = c.LastMinute?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            lagSeconds = c.Lag?.TotalSeconds,
        }),
        warmUp,
    };

    private static string? Iso(long? ms) =>
        ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : null;

    private static string Time(long? ms) =>
        ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    private static string Lag(TimeSpan? lag) => lag switch
    {
        null => "?",
        { TotalSeconds: < 120 } l => $"{l.TotalSeconds:0}s",
        { TotalHours: < 48 } l => $"{l.TotalMinutes:0}m",
        var l => $"{l.Value.TotalDays:0.#}d",
    };
}
