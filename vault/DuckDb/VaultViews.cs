using System.Globalization;
using System.Text;
using Pipeline.Vault.Layout;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The SQL view layer over a vault: <c>trades</c> (every raw day, JSONL and Parquet together),
/// the minute outputs <c>bars_1m</c>, <c>vwap</c>, <c>bands</c>, <c>cvd</c>, <c>adx</c>, and
/// <c>signals</c>, <c>orders</c>, <c>fills</c>, <c>positions</c>. Path parts (exchange, instId,
/// date, strategy) come from the file path. Decimal strings become DECIMAL(38,18), times
/// TIMESTAMPTZ (UTC). A view whose files do not exist yet is empty, not an error; a torn or
/// garbage line is skipped, never fatal.
/// </summary>
public static class VaultViews
{
    /// <summary>The exact decimal type every price, size and minute value gets.</summary>
    public const string DecimalType = "DECIMAL(38,18)";

    public static IReadOnlyList<string> MinuteCalcs { get; } = ["bars_1m", "vwap", "bands", "cvd", "adx"];

    public static IReadOnlyList<string> LedgerFiles { get; } = ["orders", "fills", "positions"];

    /// <summary>Every view <see cref="Create"/> makes, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trades", .. MinuteCalcs, "signals", .. LedgerFiles];

    /// <summary>
    /// The raw trade columns with their stored types, for <c>read_json(..., columns=...)</c>. A compacted
    /// Parquet day holds exactly these columns and types (<see cref="RawTradesSelect"/> writes them).
    /// </summary>
    public const string RawTradeColumns =
        "{exchange:'VARCHAR', instId:'VARCHAR', tradeId:'VARCHAR', ts:'BIGINT', px:'VARCHAR', sz:'VARCHAR', " +
        "side:'VARCHAR', ctVal:'VARCHAR', ctMult:'VARCHAR', ctType:'VARCHAR', ctValCcy:'VARCHAR', qtyBase:'VARCHAR', " +
        "recvTs:'BIGINT', src:'VARCHAR', count:'BIGINT', firstId:'BIGINT', lastId:'BIGINT'}";

    private const string DayPattern = "([0-9]{4}-[0-9]{2}-[0-9]{2})\\.(jsonl|parquet)$";
    private const string Sep = "[/\\\\]";

    /// <summary>
    /// SELECT of the raw columns (stored types, torn/garbage lines dropped) from JSONL file(s) or a glob:
    /// what <c>COPY (...) TO 'day.parquet' (FORMAT parquet)</c> writes for a compacted day.
    /// </summary>
    public static string RawTradesSelect(string jsonlPathOrGlob) =>
        $"SELECT * FROM read_json({Literal(jsonlPathOrGlob)}, format='newline_delimited', ignore_errors=true, " +
        $"columns={RawTradeColumns}) WHERE tradeId IS NOT NULL";

    /// <summary>Creates (or replaces) every view for <paramref name="vault"/> on <paramref name="connection"/>.</summary>
    public static void Create(DuckDbConnection connection, VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        connection.Execute("CREATE OR REPLACE VIEW trades AS " + TradesSql(vault));
        foreach (var calc in MinuteCalcs)
        {
            var dir = $"derived/{calc}/*/perps/*/";
            CreateAutoView(connection, vault, calc, [dir + "*.jsonl"], [dir + "*.parquet"],
                $"{Sep}derived{Sep}{calc}{Sep}([^/\\\\]+){Sep}perps{Sep}([^/\\\\]+){Sep}{DayPattern}",
                [("exchange", 1, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 3, "DATE")]);
        }

        CreateAutoView(connection, vault, "signals", ["derived/signals/*/*/*/*.jsonl"], ["derived/signals/*/*/*/*.parquet"],
            $"{Sep}derived{Sep}signals{Sep}([^/\\\\]+){Sep}([^/\\\\]+){Sep}([^/\\\\]+){Sep}{DayPattern}",
            [("strategy", 1, "VARCHAR"), ("exchange", 2, "VARCHAR"), ("instId", 3, "VARCHAR"), ("date", 4, "DATE")]);
        foreach (var ledger in LedgerFiles)
        {
            CreateAutoView(connection, vault, ledger, [$"ledger/*/{ledger}.jsonl"], [],
                $"{Sep}ledger{Sep}([^/\\\\]+){Sep}{ledger}\\.jsonl$", [("strategy", 1, "VARCHAR")]);
        }
    }

    /// <summary>The <c>trades</c> view's query: every raw day of every exchange and instrument.</summary>
    public static string TradesSql(VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        const string jsonlGlob = "raw/*/trades_perps/*/*.jsonl";
        const string parquetGlob = "raw/*/trades_perps/*/*.parquet";
        // Every column typed once, so the union has them all even when no file carries count/firstId/lastId.
        var sources = new List<string>
        {
            "SELECT NULL::VARCHAR AS exchange, NULL::VARCHAR AS instId, NULL::VARCHAR AS tradeId, NULL::BIGINT AS ts, " +
            "NULL::VARCHAR AS px, NULL::VARCHAR AS sz, NULL::VARCHAR AS side, NULL::VARCHAR AS ctVal, NULL::VARCHAR AS ctMult, " +
            "NULL::VARCHAR AS ctType, NULL::VARCHAR AS ctValCcy, NULL::VARCHAR AS qtyBase, NULL::BIGINT AS recvTs, " +
            "NULL::VARCHAR AS src, NULL::BIGINT AS count, NULL::BIGINT AS firstId, NULL::BIGINT AS lastId, " +
            "NULL::VARCHAR AS filename WHERE false",
        };
        if (AnyFile(vault.Root, jsonlGlob))
        {
            sources.Add($"SELECT * FROM read_json({Literal(Glob(vault, jsonlGlob))}, format='newline_delimited', " +
                        $"ignore_errors=true, filename=true, columns={RawTradeColumns})");
        }

        var shadowed = new List<string>();
        if (AnyFile(vault.Root, parquetGlob))
        {
            sources.Add($"SELECT * FROM read_parquet({Literal(Glob(vault, parquetGlob))}, union_by_name=true, filename=true)");
            shadowed.AddRange(JsonlDaysWithParquetTwin(vault));
        }

        var pathRegex = $"{Sep}raw{Sep}([^/\\\\]+){Sep}trades_perps{Sep}([^/\\\\]+){Sep}{DayPattern}";
        var d = DecimalType;
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"""
            SELECT regexp_extract(filename, {Literal(pathRegex)}, 1) AS exchange,
                   regexp_extract(filename, {Literal(pathRegex)}, 2) AS instId,
                   TRY_CAST(regexp_extract(filename, {Literal(pathRegex)}, 3) AS DATE) AS date,
                   tradeId,
                   make_timestamptz(ts * 1000) AS ts,
                   TRY_CAST(px AS {d}) AS px, TRY_CAST(sz AS {d}) AS sz, side,
                   TRY_CAST(ctVal AS {d}) AS ctVal, TRY_CAST(ctMult AS {d}) AS ctMult, ctType, ctValCcy,
                   TRY_CAST(qtyBase AS {d}) AS qtyBase,
                   make_timestamptz(recvTs * 1000) AS recvTs, src,
                   count, firstId, lastId
            FROM ({string.Join(" UNION ALL BY NAME ", sources)})
            WHERE tradeId IS NOT NULL
            """);
        if (shadowed.Count > 0)
        {
            // Mid-compaction both forms of a day can exist for a moment: the Parquet one wins.
            sql.Append(CultureInfo.InvariantCulture,
                $" AND NOT (filename LIKE '%.jsonl' AND regexp_extract(filename, {Literal(pathRegex)}, 1) || '/' || regexp_extract(filename, {Literal(pathRegex)}, 2) || '/' || regexp_extract(filename, {Literal(pathRegex)}, 3) IN ({string.Join(", ", shadowed.Select(Literal))}))");
        }

        return sql.ToString();
    }

    /// <summary>
    /// A view over auto-detected JSON/Parquet records: path parts first, then the records' own columns
    /// (minus those the path gives), with VARCHAR columns holding decimals cast to DECIMAL(38,18) and
    /// <c>minute</c>/<c>ts</c>-like columns as TIMESTAMPTZ.
    /// </summary>
    private static void CreateAutoView(DuckDbConnection connection, VaultLayout vault, string name,
        IReadOnlyList<string> jsonlGlobs, IReadOnlyList<string> parquetGlobs, string pathRegex,
        IReadOnlyList<(string Name, int Group, string Type)> pathColumns)
    {
        var sources = new List<string>();
        foreach (var glob in jsonlGlobs.Where(g => AnyFile(vault.Root, g)))
        {
            // Mid-compaction both forms of a day can exist for a moment: the Parquet one wins.
            var shadowed = Files(vault.Root, glob)
                .Where(f => File.Exists(Path.ChangeExtension(f, ".parquet"))).Select(Literal).ToList();
            sources.Add($"SELECT * FROM read_json({Literal(Glob(vault, glob))}, format='newline_delimited', " +
                        "union_by_name=true, filename=true, ignore_errors=true)" +
                        (shadowed.Count > 0 ? $" WHERE filename NOT IN ({string.Join(", ", shadowed)})" : ""));
        }

        foreach (var glob in parquetGlobs.Where(g => AnyFile(vault.Root, g)))
        {
            sources.Add($"SELECT * FROM read_parquet({Literal(Glob(vault, glob))}, union_by_name=true, filename=true)");
        }

        var pathSelect = pathColumns.Select(p => p.Type == "VARCHAR"
            ? $"regexp_extract(filename, {Literal(pathRegex)}, {p.Group}) AS {Quote(p.Name)}"
            : $"TRY_CAST(regexp_extract(filename, {Literal(pathRegex)}, {p.Group}) AS {p.Type}) AS {Quote(p.Name)}").ToList();
        if (sources.Count == 0)
        {
            var empty = pathColumns.Select(p => $"NULL::{p.Type} AS {Quote(p.Name)}");
            var minute = MinuteCalcs.Contains(name) ? "NULL::TIMESTAMPTZ AS minute, " : "";
            connection.Execute($"CREATE OR REPLACE VIEW {Quote(name)} AS SELECT {minute}{string.Join(", ", empty)} WHERE false");
            return;
        }

        var source = string.Join(" UNION ALL BY NAME ", sources);
        var columns = Describe(connection, source)
            .Where(c => c.Name != "filename" && !pathColumns.Any(p => string.Equals(p.Name, c.Name, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var decimals = DecimalColumns(connection, source, columns);
        var select = new List<string>();
        foreach (var (column, type) in columns)
        {
            var q = Quote(column);
            select.Add(
                IsTimeColumn(column) && type == "TIMESTAMP" ? $"timezone('UTC', {q}) AS {q}"
                : IsTimeColumn(column) && type == "VARCHAR" ? $"TRY_CAST({q} AS TIMESTAMPTZ) AS {q}"
                : IsTimeColumn(column) && type == "BIGINT" && column != "minute" ? $"make_timestamptz({q} * 1000) AS {q}"
                : decimals.Contains(column) ? $"TRY_CAST({q} AS {DecimalType}) AS {q}"
                : q);
        }

        // The first time-like column, or the first column, leads; then the path parts; then the rest.
        var leadIndex = Math.Max(0, columns.FindIndex(c => IsTimeColumn(c.Name)));
        var ordered = new List<string> { select[leadIndex] };
        ordered.AddRange(pathSelect);
        ordered.AddRange(select.Where((_, i) => i != leadIndex));
        var anyValue = string.Join(" OR ", columns.Select(c => Quote(c.Name) + " IS NOT NULL"));
        connection.Execute($"CREATE OR REPLACE VIEW {Quote(name)} AS SELECT {string.Join(", ", ordered)} FROM ({source})" +
                           (columns.Count > 0 ? $" WHERE {anyValue}" : ""));
    }

    private static bool IsTimeColumn(string column) =>
        column is "minute" or "ts" or "time" or "recvTs" || column.EndsWith("At", StringComparison.Ordinal);

    private static List<(string Name, string Type)> Describe(DuckDbConnection connection, string source)
    {
        var columns = new List<(string, string)>();
        using var reader = connection.Query($"DESCRIBE {source}");
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>
    /// VARCHAR columns whose sampled non-null values all parse as decimals (ids, names and times excluded):
    /// the calculators write exact decimals as strings.
    /// </summary>
    private static HashSet<string> DecimalColumns(DuckDbConnection connection, string source, List<(string Name, string Type)> columns)
    {
        var candidates = columns
            .Where(c => c.Type == "VARCHAR" && !IsTimeColumn(c.Name) && !c.Name.EndsWith("Id", StringComparison.Ordinal)
                        && c.Name is not ("id" or "exchange" or "instId" or "strategy" or "side"))
            .Select(c => c.Name).ToList();
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (candidates.Count == 0)
        {
            return result;
        }

        var probes = candidates.Select(c =>
            $"count({Quote(c)}) AS n, count({Quote(c)}) FILTER (WHERE TRY_CAST({Quote(c)} AS {DecimalType}) IS NULL) AS bad");
        using var reader = connection.Query(
            $"SELECT {string.Join(", ", probes)} FROM (SELECT {string.Join(", ", candidates.Select(Quote))} FROM ({source}) LIMIT 10000)");
        if (reader.Read())
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (reader.GetInt64(2 * i) > 0 && reader.GetInt64((2 * i) + 1) == 0)
                {
                    result.Add(candidates[i]);
                }
            }
        }

        return result;
    }

    private static IEnumerable<string> JsonlDaysWithParquetTwin(VaultLayout vault)
    {
        foreach (var exchange in vault.RawExchanges())
        {
            foreach (var instId in vault.RawInstruments(exchange))
            {
                foreach (var day in vault.RawDays(exchange, instId))
                {
                    if (File.Exists(vault.RawDayJsonl(exchange, instId, day)) && File.Exists(vault.RawDayParquet(exchange, instId, day)))
                    {
                        yield return $"{exchange}/{instId}/{day:yyyy-MM-dd}";
                    }
                }
            }
        }
    }

    /// <summary>The absolute DuckDB glob for a vault-relative pattern ('/' separated).</summary>
    private static string Glob(VaultLayout vault, string relative) =>
        Path.Combine(vault.Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Whether a vault-relative glob ('*' within one path segment) matches any file now.</summary>
    internal static bool AnyFile(string root, string relativeGlob) => Files(root, relativeGlob).Any();

    /// <summary>The files a vault-relative glob ('*' within one path segment) matches now.</summary>
    internal static IEnumerable<string> Files(string root, string relativeGlob)
    {
        var segments = relativeGlob.Split('/');
        IEnumerable<string> dirs = [root];
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            dirs = segment.Contains('*', StringComparison.Ordinal)
                ? dirs.Where(Directory.Exists).SelectMany(d => Directory.EnumerateDirectories(d, segment))
                : dirs.Select(d => Path.Combine(d, segment));
        }

        var last = segments[^1];
        return dirs.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, last))
            .Where(f => f.EndsWith(last.TrimStart('*'), StringComparison.Ordinal));
    }

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A SQL identifier.</summary>
    public static string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
