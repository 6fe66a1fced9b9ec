using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Exporter.Venues;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Verify;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;
using Spectre.Console;

namespace Pipeline.Jobs.Book;

/// <summary>
/// <c>pipeline book --exchange X --inst Y --at TIME [--depth N] [--format table|csv|json]</c>: the L2 book of one
/// instrument at a recorded instant, rebuilt from the vault's <c>book_perps</c> lines (<see cref="BookReconstructor"/>).
/// Exit 0 with the book; 1 when the book is unknown at that instant (inside a resync → snapshot window, before the first
/// snapshot) or cannot be proven (a broken line or sequence), in one line; 2 on a usage error.
/// </summary>
public static class BookCommand
{
    private static readonly Option<string> Exchange = new("--exchange") { Description = "okx or binance", Required = true };
    private static readonly Option<string> Inst = new("--inst") { Description = "The instrument (BTC-USDT-SWAP, BTCUSDT)", Required = true };

    private static readonly Option<string> At = new("--at")
    {
        Description = "The instant: an ISO time (2026-01-05T12:00:00.250Z), a date (its 00:00:00.000 UTC) or Unix ms; the book after every line at or before it",
        Required = true,
    };

    private static readonly Option<int> Depth = new("--depth") { Description = "Levels per side (default 20)", DefaultValueFactory = _ => 20 };

    private static readonly Option<string> Format = new("--format")
    {
        Description = "table (default: bids and asks side by side), csv (level,bidPx,bidSz,askPx,askSz) or json (one object; exact strings)",
        DefaultValueFactory = _ => "table",
    };

    private static readonly Option<bool> NoCheckpoints = new("--no-checkpoints")
    {
        Description = "Replay from the snapshot; neither read nor build the checkpoint index (state/book-checkpoints/…)",
    };

    public static Command Create()
    {
        var command = new Command("book",
            "Print the order book of one instrument at a recorded instant, rebuilt from the vault: the last snapshot at or before it, then every " +
            "update up to it, each checked to continue the book. Exit 1 with the reason when the book is unknown there (from the last line " +
            "before a resync until the new snapshot: the missed change happened at an unknown moment) or not proven. A checkpoint index under " +
            "state/book-checkpoints/ makes later calls on a day fast.\n" +
            "Example: pipeline book --exchange okx --inst BTC-USDT-SWAP --at 2026-01-05T12:00:00Z --depth 10");
        foreach (var option in new Option[] { Exchange, Inst, At, Depth, Format, NoCheckpoints })
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, RunAsync, fileLog: false, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var exchange = context.Get(Exchange)!.Trim().ToLowerInvariant();
        if (!VenueRegistry.IsKnown(exchange))
        {
            throw new UsageException($"--exchange: '{exchange}' is not okx or binance");
        }

        var instId = context.Get(Inst)!.Trim();
        if (!VaultNames.IsInstId(instId))
        {
            throw new UsageException($"--inst: '{instId}' is not an instrument id (A-Z, 0-9, '.', '_', '-')");
        }

        var at = VerifyCommand.ParseTime(context.Get(At), "--at", endOfDay: false) ?? throw new UsageException("--at: a time is required");
        var depth = context.Get(Depth);
        if (depth < 1)
        {
            throw new UsageException($"--depth: {depth.ToString(CultureInfo.InvariantCulture)} is not a positive number of levels");
        }

        var format = context.Get(Format)?.Trim().ToLowerInvariant();
        if (format is not ("table" or "csv" or "json"))
        {
            throw new UsageException($"--format: '{format}' is not table, csv or json");
        }

        var reconstructor = new BookReconstructor(context.Vault)
        {
            Checkpoints = context.Get(NoCheckpoints) ? null : new BookCheckpoints(context.Vault) { Notice = context.Error.WriteLine },
        };
        var result = await Task.Run(() => reconstructor.At(exchange, instId, at), token);
        if (result.Book is not { } book)
        {
            throw new InvalidOperationException($"{exchange} {instId}: {result.Unknown}");
        }

        Serilog.Log.Debug("Book at {At}: snapshot {File}@{Offset}, checkpoint {Checkpoint}@{CheckpointOffset}, {Updates} updates replayed, {Indexed} lines indexed in {Elapsed}",
            at, result.SnapshotFile, result.SnapshotOffset, result.CheckpointFile, result.CheckpointOffset, result.UpdatesReplayed, result.LinesIndexed, result.Elapsed);
        var bids = book.Bids(depth);
        var asks = book.Asks(depth);
        switch (format)
        {
            case "csv":
                await context.Output.WriteAsync(Csv(bids, asks));
                break;
            case "json":
                await context.Output.WriteLineAsync(Json(result, bids, asks));
                break;
            default:
                PrintTable(context, result, bids, asks);
                break;
        }

        return ExitCodes.Ok;
    }

    /// <summary>level,bidPx,bidSz,askPx,askSz: one row per level (1 = best), a side shorter than the other left empty.</summary>
    public static string Csv(IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        var text = new StringBuilder("level,bidPx,bidSz,askPx,askSz\n");
        for (var i = 0; i < Math.Max(bids.Count, asks.Count); i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1},{(i < bids.Count ? bids[i].Px : "")},{(i < bids.Count ? bids[i].Sz : "")},")
                .Append(CultureInfo.InvariantCulture, $"{(i < asks.Count ? asks[i].Px : "")},{(i < asks.Count ? asks[i].Sz : "")}\n");
        }

        return text.ToString();
    }

    /// <summary>One JSON object: the instrument, the instant, the book's seq and time, its snapshot, and bids/asks as [px, sz] string pairs.</summary>
    public static string Json(BookAt result, IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("exchange", result.Exchange);
            w.WriteString("instId", result.InstId);
            w.WriteString("at", BookReconstructor.Iso(result.AtTs));
            w.WriteNumber("atMs", result.AtTs);
            if (result.Book?.Seq is { } seq)
            {
                w.WriteNumber("seq", seq);
            }

            w.WriteNumber("ts", result.Book?.Ts ?? 0);
            w.WriteNumber("snapshotTs", result.SnapshotTs);
            w.WriteNumber("updatesApplied", result.UpdatesApplied);
            Levels(w, "bids", bids);
            Levels(w, "asks", asks);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Levels(Utf8JsonWriter w, string name, IReadOnlyList<BookLevel> levels)
    {
        w.WriteStartArray(name);
        foreach (var level in levels)
        {
            w.WriteStartArray();
            w.WriteStringValue(level.Px);
            w.WriteStringValue(level.Sz);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void PrintTable(CommandContext context, BookAt result, IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks)
    {
        var console = CliConsole.For(context.Output);
        var book = result.Book!;
        var seq = book.Seq is { } s ? s.ToString(CultureInfo.InvariantCulture) : "(none)";
        console.MarkupLine(Markup.Escape(
            $"{result.Exchange} {result.InstId} book at {BookReconstructor.Iso(result.AtTs)}: seq {seq} ({BookReconstructor.Iso(book.Ts)}), " +
            $"snapshot {BookReconstructor.Iso(result.SnapshotTs)} + {result.UpdatesApplied.ToString(CultureInfo.InvariantCulture)} updates"));
        var table = new Table();
        table.AddColumn(new TableColumn("bid size").RightAligned());
        table.AddColumn(new TableColumn("bid").RightAligned());
        table.AddColumn(new TableColumn("ask"));
        table.AddColumn(new TableColumn("ask size"));
        for (var i = 0; i < Math.Max(bids.Count, asks.Count); i++)
        {
            table.AddRow(i < bids.Count ? bids[i].Sz : "", i < bids.Count ? bids[i].Px : "", i < asks.Count ? asks[i].Px : "", i < asks.Count ? asks[i].Sz : "");
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape($"{book.BidCount.ToString(CultureInfo.InvariantCulture)} bid and {book.AskCount.ToString(CultureInfo.InvariantCulture)} ask levels in the book; " +
            $"showing the best {Math.Max(bids.Count, asks.Count).ToString(CultureInfo.InvariantCulture)}"));
    }
}
