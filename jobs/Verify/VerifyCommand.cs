using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Venues;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
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

    private static readonly Option<bool> BookIndex = new("--book-index")
    {
        Description = "Also build pipeline book's checkpoint index (state/book-checkpoints/…) of every book day read, in the same pass",
    };

    public static Command Create()
    {
        var command = new Command("verify",
            "Check raw trade days: duplicate trade ids, torn or unparsable lines, unreadable files, lines under the wrong date, id gaps, " +
            "the exporter's known gaps; the microstructure kinds (quotes, book, liquidations, derivatives): bad lines with file and offset, " +
            "quote seq order and repeats, repeated liquidation and derivatives lines, each day's book continuity and its resyncs with their reasons; with --truth also missing and extra trades and every field of every trade (but recvTs, src). " +
            "Exit 0 only when clean, 1 otherwise, 2 on a usage error.\n" +
            "Example: pipeline verify --exchange okx --inst BTC-USDT-SWAP --from 2026-01-01 --to 2026-01-31");
        foreach (var option in new Option[] { Exchange, Inst, From, To, Truth, Json, BookIndex })
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
        var micro = new MicroVerifier(context.Vault)
        {
            BookIndex = context.Get(BookIndex) ? new BookCheckpoints(context.Vault) { Notice = context.Error.WriteLine } : null,
        };
        report = report with { Micro = await Task.Run(() => micro.Verify(options), token) };
        if (report.Lines == 0 && report.Micro.Sum(m => m.Lines + m.UnreadableFiles) == 0 && options.TruthDir is null && report.KnownGapCount == 0 && report.StateErrors == 0 && report.UnreadableFiles == 0)
        {
            // An empty selection is not "clean": most likely a wrong --vault, --exchange or --inst.
            throw new InvalidOperationException($"nothing to verify: no raw trade or microstructure lines under {context.Vault.RawDir} for the selection");
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

    private static readonly JsonSerializerOptions JsonFields = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

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
                WriteArray(w, "mismatches", i.Mismatches);
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
                WriteArray(w, "problems", i.Problems);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteMicro(w, report.Micro);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// An array of records as objects with their properties in camelCase, in declaration order (mismatches, seq
    /// resets, resyncs), or of strings (problems).
    /// </summary>
    private static void WriteArray<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> items)
    {
        w.WritePropertyName(name);
        JsonSerializer.Serialize(w, items, JsonFields);
    }

    /// <summary>The "micro" array of the --json line: one object per kind and instrument.</summary>
    private static void WriteMicro(Utf8JsonWriter w, IReadOnlyList<MicroVerifyResult> micro)
    {
        w.WriteStartArray("micro");
        foreach (var m in micro)
        {
            w.WriteStartObject();
            w.WriteString("kind", MicroKinds.Name(m.Kind));
            w.WriteString("exchange", m.Exchange);
            w.WriteString("instId", m.InstId);
            w.WriteNumber("days", m.Days);
            w.WriteNumber("lines", m.Lines);
            w.WriteNumber("torn", m.Torn);
            w.WriteNumber("unparsable", m.Unparsable);
            w.WriteNumber("unreadableFiles", m.UnreadableFiles);
            w.WriteNumber("wrongDate", m.WrongDate);
            w.WriteNumber("duplicates", m.Duplicates);
            if (m.Kind == MicroKind.Quotes)
            {
                w.WriteNumber("outOfOrder", m.OutOfOrder);
                w.WriteNumber("seqResetCount", m.SeqResetCount);
                WriteArray(w, "seqResets", m.SeqResets);
            }

            if (m.Kind == MicroKind.Book)
            {
                w.WriteNumber("snapshots", m.Snapshots);
                w.WriteNumber("updates", m.Updates);
                w.WriteNumber("resyncCount", m.ResyncCount);
                w.WriteNumber("continuityBreaks", m.ContinuityBreaks);
                w.WriteNumber("unchecked", m.Unchecked);
                WriteArray(w, "resyncs", m.Resyncs);
            }

            w.WriteBoolean("clean", m.IsClean);
            WriteArray(w, "problems", m.Problems);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>One table per microstructure kind present, then its problems and the book's resyncs with their reasons.</summary>
    private static void PrintMicro(IAnsiConsole console, IReadOnlyList<MicroVerifyResult> micro)
    {
        foreach (var group in micro.GroupBy(m => m.Kind))
        {
            var kind = group.Key;
            var table = new Table().Title(MicroKinds.Name(kind) + " verification");
            var columns = new List<string> { "exchange", "instId", "days", "lines", "torn", "unparsable", "unreadable files", "wrong date", "duplicates" };
            if (kind == MicroKind.Quotes)
            {
                columns.AddRange(["seq out of order", "seq resets"]);
            }

            if (kind == MicroKind.Book)
            {
                columns.AddRange(["snapshots", "updates", "resyncs", "continuity breaks", "unchecked"]);
            }

            foreach (var column in columns)
            {
                table.AddColumn(column);
            }

            foreach (var m in group)
            {
                var row = new List<string> { Markup.Escape(m.Exchange), Markup.Escape(m.InstId), N(m.Days), N(m.Lines), N(m.Torn), N(m.Unparsable),
                    N(m.UnreadableFiles), N(m.WrongDate), N(m.Duplicates) };
                if (kind == MicroKind.Quotes)
                {
                    row.AddRange([N(m.OutOfOrder), N(m.SeqResetCount)]);
                }

                if (kind == MicroKind.Book)
                {
                    row.AddRange([N(m.Snapshots), N(m.Updates), N(m.ResyncCount), N(m.ContinuityBreaks), N(m.Unchecked)]);
                }

                table.AddRow([.. row]);
            }

            console.Write(table);
            foreach (var m in group)
            {
                foreach (var problem in m.Problems.Take(10))
                {
                    console.MarkupLine($"[yellow]{Markup.Escape(MicroKinds.Name(kind))} {Markup.Escape(m.Exchange)} {Markup.Escape(m.InstId)}[/]: {Markup.Escape(problem)}");
                }

                foreach (var r in m.SeqResets.Take(20))
                {
                    console.MarkupLine($"seq reset {Markup.Escape(m.Exchange)} {Markup.Escape(m.InstId)} at {BookReconstructor.Iso(r.Ts)} ({Markup.Escape(r.File)}@{r.Offset}): " +
                        $"quote seq {r.Seq} after {r.PreviousSeq} at a later event time: the exchange restarted its ids (kept as new quotes, not a defect)");
                }

                foreach (var r in m.Resyncs.Take(20))
                {
                    console.MarkupLine($"resync {Markup.Escape(m.Exchange)} {Markup.Escape(m.InstId)} at {BookReconstructor.Iso(r.Ts)} ({Markup.Escape(r.File)}@{r.Offset}): {Markup.Escape(r.Reason)}");
                }
            }
        }
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
        if (report.Instruments.Count > 0 || report.Micro.Count == 0)
        {
            console.Write(table); // a vault of microstructure only gets its kinds' tables, not an empty trade table
        }

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

        PrintMicro(console, report.Micro);
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
