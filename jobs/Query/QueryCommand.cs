using System.CommandLine;
using System.Globalization;
using System.Text;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.DuckDb;
using Spectre.Console;

namespace Pipeline.Jobs.Query;

/// <summary>
/// <c>pipeline query "SQL" [--format table|csv|json]</c>: read-only SQL over the vault's views,
/// confined to the vault directory (see <see cref="VaultQuery"/>), rows streamed to the output.
/// </summary>
public static class QueryCommand
{
    private static readonly Argument<string> Sql = new("sql")
    {
        Description = "One read-only SQL statement, e.g. \"select exchange, instId, count(*) from trades group by all\"",
    };

    private static readonly Option<string> Format = new("--format")
    {
        Description = "table (default), csv (RFC 4180, header row) or json (JSON Lines: one object per row; decimals as exact strings)",
        DefaultValueFactory = _ => "table",
    };

    private static readonly Option<int> MaxRows = new("--max-rows")
    {
        Description = "table format: rows to show (default 1000; 0 = all); the rest are counted",
        DefaultValueFactory = _ => 1000,
    };

    private static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "seconds the query may run, output included (default 300); then it is interrupted and the command exits 1",
        DefaultValueFactory = _ => DefaultTimeoutSeconds,
    };

    private static readonly Option<string> MemoryLimit = new("--memory-limit")
    {
        Description = "DuckDB memory limit, e.g. 2GB or 512MiB (default a quarter of the memory available); nothing spills to disk, so a query that needs more fails",
    };

    private static readonly Option<int> Threads = new("--threads")
    {
        Description = "DuckDB worker threads (default: one per core)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    private static readonly Option<string?> Bands = new("--bands")
    {
        Description = "band multipliers the bands were computed with (calc/run --bands), naming the bands view's columns upper1h_<m>, lower1h_<m>, ... (default 1,2)",
    };

    private const double DefaultTimeoutSeconds = 300;

    // DuckDB's memory_limit syntax, checked here so a typo is a usage error, not a DuckDB start-up failure.
    private static readonly System.Text.RegularExpressions.Regex MemorySyntax = new(
        @"\A[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\z",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static Command Create()
    {
        var command = new Command("query",
            "Run SQL over the vault with DuckDB. Views: " + string.Join(", ", VaultViews.Names) +
            ". Decimals are exact: prices and sizes DECIMAL(38,10), notionals (volQuote) DECIMAL(38,20), computed values (vwap, sigma, ...) " +
            "DECIMAL(38,28); sum(px * qtyBase) needs no cast. A filter on exchange, instId or date reads only the matching day files. " +
            "Times are TIMESTAMPTZ in UTC. " +
            "Read-only by construction: one SELECT, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN <select>; files outside the vault cannot be read. " +
            "Bounded: --timeout, --memory-limit, --threads.");
        command.Arguments.Add(Sql);
        command.Options.Add(Format);
        command.Options.Add(MaxRows);
        command.Options.Add(Timeout);
        command.Options.Add(MemoryLimit);
        command.Options.Add(Threads);
        command.Options.Add(Bands);
        CommandAction.Set(command, RunAsync, fileLog: false, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var sql = context.Get(Sql);
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new UsageException("query: the SQL text is empty");
        }

        var format = (context.Get(Format) ?? "table").ToLowerInvariant();
        if (format is not ("table" or "csv" or "json"))
        {
            throw new UsageException($"--format: unknown format '{format}' (table|csv|json)");
        }

        var maxRows = context.Get(MaxRows);
        if (maxRows < 0)
        {
            throw new UsageException("--max-rows: must be 0 (all) or more");
        }

        var timeout = context.Get(Timeout);
        if (!(timeout > 0) || double.IsInfinity(timeout))
        {
            throw new UsageException("--timeout: must be a number of seconds above 0");
        }

        var threads = context.Get(Threads);
        if (threads < 1)
        {
            throw new UsageException("--threads: must be 1 or more");
        }

        var memory = context.Get(MemoryLimit);
        if (memory is not null && !MemorySyntax.IsMatch(memory.Trim()))
        {
            throw new UsageException($"--memory-limit: '{memory}' is not a size such as 2GB or 512MiB");
        }

        var limits = new VaultQueryLimits { Threads = threads };
        if (memory is not null)
        {
            limits = limits with { MemoryLimit = memory.Trim() };
        }

        var bands = context.Get(Bands) is { } text ? Calc.CalcOptionsCli.ParseBands(text) : null;
        using var query = VaultQuery.Open(context.Vault, limits, bands);
        await using var registration = token.Register(query.Interrupt);
        // Interrupts again every second until the command ends: an interrupt that lands between two
        // statements (the read-only check, then the query) would otherwise be lost.
        var timedOut = false;
        await using var timer = context.Time.CreateTimer(_ =>
        {
            timedOut = true;
            query.Interrupt();
        }, null, TimeSpan.FromSeconds(timeout), TimeSpan.FromSeconds(1));
        var toConsole = ReferenceEquals(context.Output, Console.Out);
        // Console.Out flushes on every write; a buffered stream keeps millions of rows fast.
        var output = toConsole
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16)
            : context.Output;
        try
        {
            using var reader = Open(query, sql);
            switch (format)
            {
                case "csv":
                    await CsvRowWriter.WriteAsync(reader, output, token);
                    break;
                case "json":
                    await JsonRowWriter.WriteAsync(reader, output, token);
                    break;
                default:
                    TableRowWriter.Write(reader, CreateConsole(output, toConsole), maxRows, token, lineBreaks: VaultQuery.IsExplain(sql));
                    break;
            }
        }
        catch (Exception ex) when (timedOut && ex is DuckDbException or OperationCanceledException)
        {
            // One line: DuckDB's own "Interrupted!" says nothing more.
            _ = ex;
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"query interrupted after {timeout:0.###} s (--timeout)"));
        }
        catch (DuckDbException ex) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, token);
        }
        catch (DuckDbException ex) when (ex.Message.StartsWith("Out of Memory Error", StringComparison.Ordinal))
        {
            throw new DuckDbException(query.Explain(ex).Message + " (--memory-limit; nothing spills to disk)");
        }
        catch (DuckDbException ex)
        {
            throw query.Explain(ex);
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None);
            if (toConsole)
            {
                await output.DisposeAsync();
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Runs the statement; when a column has a type the reader does not decode (LIST, STRUCT, MAP, ...),
    /// runs it again with those columns cast to VARCHAR, so every result prints.
    /// </summary>
    private static DuckDbReader Open(VaultQuery query, string sql)
    {
        var reader = query.Query(sql);
        if (reader.Columns.All(c => c.IsSupported))
        {
            return reader;
        }

        var columns = reader.Columns;
        reader.Dispose();
        var aliases = Enumerable.Range(0, columns.Count).Select(i => "c" + i).ToList();
        var select = columns.Select((c, i) => c.IsSupported
            ? $"{aliases[i]} AS {VaultViews.Quote(c.Name)}"
            : $"CAST({aliases[i]} AS VARCHAR) AS {VaultViews.Quote(c.Name)}");
        var inner = sql.TrimEnd().TrimEnd(';');
        // A newline before ')': a trailing "-- comment" in the statement must not swallow it.
        return query.Query($"SELECT {string.Join(", ", select)} FROM ({inner}\n) AS q({string.Join(", ", aliases)})");
    }

    private static IAnsiConsole CreateConsole(TextWriter output, bool toConsole)
    {
        var terminal = toConsole && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Redirected output has no width: let the table take what its cells need.
        console.Profile.Width = terminal ? System.Console.WindowWidth : 4096;
        return console;
    }
}
