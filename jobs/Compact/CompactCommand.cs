using System.CommandLine;
using System.Globalization;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Compaction;
using Spectre.Console;

namespace Pipeline.Jobs.Compact;

/// <summary><c>pipeline compact</c>: closed raw and derived days to Parquet (zstd), verified, JSONL removed.</summary>
public static class CompactCommand
{
    private static readonly Option<string?> Before = new("--before")
    {
        Description = "only days before this date (yyyy-MM-dd); today (UTC) is never compacted",
    };

    private static readonly Option<string?> Exchange = new("--exchange") { Description = "only this exchange (okx|binance)" };

    private static readonly Option<string?> Inst = new("--inst") { Description = "only these instruments (comma separated)" };

    private static readonly Option<bool> RawOnly = new("--raw-only") { Description = "compact raw days only (trades, quotes, book, liquidations, derivatives), not the calculators' minute outputs" };

    private static readonly Option<bool> ShowSkipped = new("--show-skipped") { Description = "list every day left as JSONL and its reason (the reasons by kind, with counts, are always printed)" };

    public static Command Create()
    {
        var command = new Command("compact",
            "Compact closed days (before today UTC and --before; exporter watermark past the day's end, or no exporter state; every reader done with the day) of raw trades " +
            "and derived minute outputs to Parquet (zstd) through DuckDB. Each day is verified against its JSONL (row count, key set, " +
            "content hash) before it is renamed into place and the JSONL removed; leftovers of an interrupted run are repaired first.");
        command.Options.Add(Before);
        command.Options.Add(Exchange);
        command.Options.Add(Inst);
        command.Options.Add(RawOnly);
        command.Options.Add(ShowSkipped);
        CommandAction.Set(command, RunAsync, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        DateOnly? before = null;
        if (context.Get(Before) is { } text)
        {
            before = CommonOptions.Day(text, "--before");
        }

        var exchange = CommonOptions.ExchangeFilter(context.Get(Exchange));
        var options = new CompactionOptions
        {
            Before = before, Exchange = exchange, InstIds = CommonOptions.InstIds(context.Get(Inst)),
            IncludeDerived = !context.Get(RawOnly), Time = context.Time,
        };
        var compactor = Compactor.Create(context.Vault, options);
        var report = await Task.Run(() => compactor.Run((day, done, total) =>
        {
            if (day.Outcome != CompactionOutcome.Skipped)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] {day.Day}: {day.Outcome.ToString().ToLowerInvariant()}"));
            }
        }, token), token);

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(context.Output),
        });
        console.Profile.Width = 200;
        var shown = report.Days.Where(d => d.Outcome != CompactionOutcome.Skipped || context.Get(ShowSkipped)).ToList();
        if (shown.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("kind").AddColumn("instrument").AddColumn("day").AddColumn("outcome")
                .AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("JSONL").RightAligned())
                .AddColumn(new TableColumn("Parquet").RightAligned()).AddColumn("note");
            foreach (var d in shown)
            {
                table.AddRow(d.Day.Kind, $"{d.Day.Exchange}/{d.Day.InstId}", d.Day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    d.Outcome.ToString().ToLowerInvariant(), d.Rows.ToString("N0", CultureInfo.InvariantCulture), Size(d.JsonlBytes),
                    d.Outcome == CompactionOutcome.Skipped ? "" : Size(d.ParquetBytes), Markup.Escape(d.Reason ?? ""));
            }

            console.Write(table);
        }

        var skipped = report.Days.Count(d => d.Outcome == CompactionOutcome.Skipped);
        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"compacted {report.Compacted} day(s), {report.Rows:N0} rows, {Size(report.JsonlBytes)} JSONL → {Size(report.ParquetBytes)} Parquet; " +
            $"{skipped} left as JSONL{SkipSummary(report, context.Get(ShowSkipped), Demo.DemoVault.IsDemo(context.Vault.Root))}; {report.Failed} failed; " +
            $"{report.TempFilesRemoved} leftover temp file(s) removed; {report.Elapsed.TotalSeconds:0.0} s"));
        return report.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>
    /// Why days were left as JSONL, by kind with counts, most first (": today (UTC) is still being written (2), ...");
    /// empty when none was.
    /// </summary>
    internal static string SkipSummary(CompactionReport report, bool listed, bool demoVault)
    {
        var kinds = report.Days.Where(d => d.Outcome == CompactionOutcome.Skipped)
            .GroupBy(d => d.Skip).Select(g => (Kind: g.Key, Count: g.Count()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Kind).ToList();
        if (kinds.Count == 0)
        {
            return "";
        }

        var text = ": " + string.Join(", ", kinds.Select(k => string.Create(CultureInfo.InvariantCulture, $"{Describe(k.Kind, demoVault)} ({k.Count})")));
        return listed ? text : text + " (--show-skipped lists each day)";
    }

    private static string Describe(SkipReason? kind, bool demoVault) => kind switch
    {
        SkipReason.Today => "today (UTC) is still being written",
        SkipReason.NotBefore => "not before --before",
        SkipReason.NotRecorded when demoVault =>
            "the demo recorded only part of its day, which never closes (a day compacts once recorded to its end)",
        SkipReason.NotRecorded => "the exporter has not recorded past the day's end and may still append to it",
        SkipReason.ReaderBusy => "a calculator or the paper executor has not finished the day",
        SkipReason.StateUnreadable => "a state file is unreadable",
        SkipReason.Empty => "no complete line",
        SkipReason.TornLine => "ends in a torn line",
        SkipReason.InvalidLines => "holds lines that are not valid records",
        _ => "other",
    };

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };
}
