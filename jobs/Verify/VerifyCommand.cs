using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Venues;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Spectre.Console;

namespace Pipeline.Jobs.Verify;

/// <summary>
/// <c>pipeline verify</c>: checks raw trade days for duplicates, torn/unparsable lines, unreadable files, misfiled
/// lines, id gaps and the exporter's known gaps, and against a ground truth (the simulator's) for missing and extra
/// trades and every field of every trade. Exit 0 only when clean; 1 when not clean; 2 on a usage error.
/// </summary>
public static class VerifyCommand
{
    private static readonly Option<string?> Exchange = new("--exchange") { Description = "okx or binance (default: all in the vault)" };
    private static readonly Option<string?> Inst = new("--inst") { Description = "Instruments, comma separated (default: all of the exchange)" };
    private static readonly Option<string?> From = new("--from") { Description = "Start: a UTC date (yyyy-MM-dd), an ISO time or Unix ms (inclusive)" };
    private static readonly Option<string?> To = new("--to") { Description = "End: a UTC date (whole day), an ISO time or Unix ms (inclusive)" };
    private static readonly Option<string?> Truth = new("--truth") { Description = "Simulator ground truth: {dir}/truth.json and {dir}/{exchange}/{instId}.jsonl (raw-trade lines); a directory holding neither is a usage error" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print {\"duplicates\",\"torn\",\"missing\",\"extra\",\"gaps\",\"lines\",...} as JSON" };

    public static Command Create()
    {
        var command = new Command("verify",
            "Check raw trade days: duplicate trade ids, torn or unparsable lines, unreadable files, lines under the wrong date, id gaps, " +
            "the exporter's known gaps; with --truth also missing and extra trades and every field of every trade (but recvTs, src). " +
            "Exit 0 only when clean, 1 otherwise, 2 on a usage error.\n" +
            "Example: pipeline verify --exchange okx --inst BTC-USDT-SWAP --from 2026-01-01 --to 2026-01-31");
        foreach (var option in new Option[] { Exchange, Inst, From, To, Truth, Json })
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, RunAsync, fileLog: false, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var exchange = context.Get(Exchange)?.Trim().ToLowerInvariant();
        if (exchange is not null && !VenueRegistry.IsKnown(exchange))
        {
            throw new UsageException($"--exchange: '{exchange}' is not okx or binance");
        }

        var instIds = CommonOptions.List(context.Get(Inst));
        if (instIds.FirstOrDefault(id => !VaultNames.IsInstId(id)) is { } badInst)
        {
            throw new UsageException($"--inst: '{badInst}' is not an instrument id (A-Z, 0-9, '.', '_', '-')");
        }

        var options = new VerifyOptions
        {
            Exchanges = exchange is null ? null : [exchange],
            InstIds = instIds is { Count: > 0 } ? instIds : null,
            FromTs = ParseTime(context.Get(From), "--from", endOfDay: false),
            ToTs = ParseTime(context.Get(To), "--to", endOfDay: true),
            TruthDir = context.Get(Truth),
        };
        if (options.TruthDir is { } truth && RawVerifier.TruthProblem(truth) is { } truthProblem)
        {
            throw new UsageException("--truth: " + truthProblem);
        }

        var verifier = new RawVerifier(context.Vault)
        {
            Progress = (exchange, instId) => Serilog.Log.Information("Verifying {Exchange} {InstId}", exchange, instId),
        };
        var report = await Task.Run(() => verifier.Verify(options), token);
        if (report.Lines == 0 && options.TruthDir is null && report.KnownGapCount == 0 && report.StateErrors == 0 && report.UnreadableFiles == 0)
        {
            // An empty selection is not "clean": most likely a wrong --vault, --exchange or --inst.
            throw new InvalidOperationException($"nothing to verify: no raw trade lines under {context.Vault.RawDir} for the selection");
        }

        if (context.Get(Json))
        {
            await context.Output.WriteLineAsync(ToJson(report));
        }
        else
        {
            PrintTable(context, report);
        }

        return report.IsClean ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The --json line: the six contract fields first, then details.</summary>
    public static string ToJson(VerifyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("duplicates", report.Duplicates);
            w.WriteNumber("torn", report.Torn);
            w.WriteNumber("missing", report.Missing);
            w.WriteNumber("extra", report.Extra);
            w.WriteStartArray("gaps");
            foreach (var gap in report.Gaps)
            {
                w.WriteStartObject();
                w.WriteString("exchange", gap.Exchange);
                w.WriteString("instId", gap.InstId);
                w.WriteNumber("from", gap.From);
                w.WriteNumber("to", gap.To);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("lines", report.Lines);
            w.WriteNumber("unparsable", report.Unparsable);
            w.WriteNumber("wrongDate", report.WrongDate);
            w.WriteNumber("gapCount", report.GapCount);
            w.WriteNumber("gapIds", report.GapIds);
            w.WriteNumber("unreadableFiles", report.UnreadableFiles);
            w.WriteNumber("compared", report.Compared);
            w.WriteNumber("contentMismatches", report.ContentMismatches);
            w.WriteNumber("knownGaps", report.KnownGapCount);
            w.WriteNumber("stateErrors", report.StateErrors);
            if (report.TruthFromTs is { } tf)
            {
                w.WriteNumber("truthFromTs", tf);
            }

            if (report.TruthToTs is { } tt)
            {
                w.WriteNumber("truthToTs", tt);
            }

            w.WriteBoolean("clean", report.IsClean);
            w.WriteStartArray("instruments");
            foreach (var i in report.Instruments)
            {
                w.WriteStartObject();
                w.WriteString("exchange", i.Exchange);
                w.WriteString("instId", i.InstId);
                w.WriteNumber("days", i.Days);
                w.WriteNumber("lines", i.Lines);
                w.WriteNumber("duplicates", i.Duplicates);
                w.WriteNumber("torn", i.Torn);
                w.WriteNumber("unparsable", i.Unparsable);
                w.WriteNumber("wrongDate", i.WrongDate);
                w.WriteNumber("gapCount", i.GapCount);
                w.WriteNumber("missing", i.Missing);
                w.WriteNumber("extra", i.Extra);
                w.WriteNumber("unreadableFiles", i.UnreadableFiles);
                w.WriteNumber("compared", i.Compared);
                w.WriteNumber("contentMismatches", i.ContentMismatches);
                w.WriteStartArray("mismatches");
                foreach (var m in i.Mismatches)
                {
                    w.WriteStartObject();
                    w.WriteString("file", m.File);
                    w.WriteNumber("offset", m.Offset);
                    w.WriteString("tradeId", m.TradeId);
                    w.WriteString("field", m.Field);
                    w.WriteString("expected", m.Expected);
                    w.WriteString("actual", m.Actual);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("knownGaps");
                foreach (var g in i.KnownGaps)
                {
                    w.WriteStartObject();
                    w.WriteString("afterTradeId", g.AfterTradeId);
                    w.WriteString("beforeTradeId", g.BeforeTradeId);
                    w.WriteNumber("fromTs", g.FromTs);
                    w.WriteNumber("toTs", g.ToTs);
                    w.WriteString("reason", g.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("problems");
                foreach (var p in i.Problems)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void PrintTable(CommandContext context, VerifyReport report)
    {
        var console = CliConsole.For(context.Output);
        console.Profile.Width = 200;
        var table = new Table().Title("raw trade verification");
        foreach (var column in new[] { "exchange", "instId", "days", "lines", "duplicates", "torn", "unparsable", "unreadable files", "wrong date", "gaps (ids)", "missing", "extra", "differing", "known gaps" })
        {
            table.AddColumn(column);
        }

        foreach (var i in report.Instruments)
        {
            table.AddRow(Markup.Escape(i.Exchange), Markup.Escape(i.InstId), N(i.Days), N(i.Lines), N(i.Duplicates), N(i.Torn), N(i.Unparsable),
                N(i.UnreadableFiles), N(i.WrongDate), $"{N(i.GapCount)} ({N(i.GapIds)})", N(i.Missing), N(i.Extra), N(i.ContentMismatches),
                N(i.KnownGaps.Count));
        }

        table.AddRow("[bold]total[/]", string.Empty, string.Empty, N(report.Lines), N(report.Duplicates), N(report.Torn), N(report.Unparsable),
            N(report.UnreadableFiles), N(report.WrongDate), $"{N(report.GapCount)} ({N(report.GapIds)})", N(report.Missing), N(report.Extra),
            N(report.ContentMismatches), N(report.KnownGapCount));
        console.Write(table);
        foreach (var i in report.Instruments)
        {
            foreach (var problem in i.Problems.Take(10))
            {
                console.MarkupLine($"[yellow]{Markup.Escape(i.Exchange)} {Markup.Escape(i.InstId)}[/]: {Markup.Escape(problem)}");
            }
        }

        foreach (var gap in report.Gaps.Take(20))
        {
            console.MarkupLine($"[yellow]gap[/] {gap.Exchange} {gap.InstId}: ids {gap.From}..{gap.To}");
        }

        foreach (var i in report.Instruments)
        {
            foreach (var m in i.Mismatches)
            {
                console.MarkupLine($"[red]differs from truth[/] {Markup.Escape(i.Exchange)} {Markup.Escape(i.InstId)}: {Markup.Escape(m.ToString())}");
            }

            foreach (var g in i.KnownGaps)
            {
                console.MarkupLine($"[red]known gap[/] {Markup.Escape(i.Exchange)} {Markup.Escape(i.InstId)}: " +
                    Markup.Escape($"after id {g.AfterTradeId ?? "(none)"} before id {g.BeforeTradeId ?? "(none)"}, ts {g.FromTs}..{g.ToTs}: {g.Reason}"));
            }
        }

        if (report.TruthFromTs is not null || report.Compared > 0)
        {
            console.MarkupLine($"compared with truth: {N(report.Compared)} trades, {N(report.ContentMismatches)} differing");
        }

        console.MarkupLine(report.IsClean ? "[green]clean[/]" : "[red]NOT clean[/]");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A date (start or end of that UTC day), an ISO time, or Unix ms.</summary>
    public static long? ParseTime(string? text, string name, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = TradeTime.DayStartMs(day);
            return endOfDay ? start + TradeTime.MsPerDay - 1 : start;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.ToUnixTimeMilliseconds();
        }

        throw new UsageException($"{name}: '{text}' is not a date (yyyy-MM-dd), an ISO time or Unix ms");
    }
}
