using System.Globalization;
using System.Text;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The SQL view layer over a vault: <c>trades</c> (every raw day, JSONL and Parquet together),
/// the minute outputs <c>bars_1m</c>, <c>vwap</c>, <c>bands</c>, <c>cvd</c>, <c>adx</c>, and
/// <c>signals</c>, <c>orders</c>, <c>fills</c>, <c>positions</c>. Path parts (exchange, instId,
/// date, strategy) come from the file path. Decimal strings become DECIMAL(38,18), times
/// TIMESTAMPTZ (UTC). A view whose files do not exist yet is empty, not an error; a torn or
/// garbage line is skipped, never fatal; a damaged Parquet file (truncated, unreadable footer) is
/// reported (<see cref="Create"/> returns it, with a warning naming its path) and left out, so one bad
/// day never takes down the other days, instruments or views. A trade line whose values cannot be
/// represented (no event time, an event time outside years 1–9999, a decimal that does not fit
/// DECIMAL(38,18)) is left out of <c>trades</c>.
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

    /// <summary>
    /// SQL turning decimal text into DECIMAL(38,18) exactly (NULL when it is not a number). DuckDB's
    /// direct VARCHAR→DECIMAL(38,s) cast costs ~10 µs a value, ~150× its DECIMAL(18,8) cast, so text
    /// with at most 10 integer and 8 fractional digits (nearly every price and size) goes through
    /// DECIMAL(18,8), which holds it exactly, and is then widened; anything longer takes the slow exact path.
    /// </summary>
    public static string ExactDecimal(string sqlExpression)
    {
        ArgumentNullException.ThrowIfNull(sqlExpression);
        var x = sqlExpression;
        return $"CASE WHEN strpos({x}, 'e') = 0 AND strpos({x}, 'E') = 0 AND " +
               $"((strpos({x}, '.') BETWEEN 1 AND 11 AND length({x}) - strpos({x}, '.') <= 8) OR (strpos({x}, '.') = 0 AND length({x}) <= 10)) " +
               $"THEN TRY_CAST({x} AS DECIMAL(18,8))::{DecimalType} ELSE TRY_CAST({x} AS {DecimalType}) END";
    }

    /// <summary>
    /// Creates (or replaces) every view for <paramref name="vault"/> on <paramref name="connection"/>;
    /// returns the damaged files the views leave out (each also logged as a warning).
    /// </summary>
    public static IReadOnlyList<DamagedFile> Create(DuckDbConnection connection, VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        var damaged = new List<DamagedFile>();
        connection.Execute("CREATE OR REPLACE VIEW trades AS " + TradesSql(connection, vault, damaged));
        foreach (var calc in MinuteCalcs)
        {
            var dir = $"derived/{calc}/*/perps/*/";
            CreateAutoView(connection, vault, damaged, calc, [dir + "*.jsonl"], [dir + "*.parquet"],
                $"{Sep}derived{Sep}{calc}{Sep}([^/\\\\]+){Sep}perps{Sep}([^/\\\\]+){Sep}{DayPattern}",
                [("exchange", 1, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 3, "DATE")]);
        }

        CreateAutoView(connection, vault, damaged, "signals", ["derived/signals/*/*/*/*.jsonl"], ["derived/signals/*/*/*/*.parquet"],
            $"{Sep}derived{Sep}signals{Sep}([^/\\\\]+){Sep}([^/\\\\]+){Sep}([^/\\\\]+){Sep}{DayPattern}",
            [("strategy", 1, "VARCHAR"), ("exchange", 2, "VARCHAR"), ("instId", 3, "VARCHAR"), ("date", 4, "DATE")]);
        foreach (var ledger in LedgerFiles)
        {
            CreateAutoView(connection, vault, damaged, ledger, [$"ledger/*/{ledger}.jsonl"], [],
                $"{Sep}ledger{Sep}([^/\\\\]+){Sep}{ledger}\\.jsonl$", [("strategy", 1, "VARCHAR")]);
        }

        return damaged;
    }

    /// <summary>The raw fields in line order with their stored types (as in <see cref="RawTradeColumns"/>).</summary>
    private static readonly (string Name, string Type)[] RawFields =
    [
        ("exchange", "VARCHAR"), ("instId", "VARCHAR"), ("tradeId", "VARCHAR"), ("ts", "BIGINT"), ("px", "VARCHAR"),
        ("sz", "VARCHAR"), ("side", "VARCHAR"), ("ctVal", "VARCHAR"), ("ctMult", "VARCHAR"), ("ctType", "VARCHAR"),
        ("ctValCcy", "VARCHAR"), ("qtyBase", "VARCHAR"), ("recvTs", "BIGINT"), ("src", "VARCHAR"), ("count", "BIGINT"),
        ("firstId", "BIGINT"), ("lastId", "BIGINT"),
    ];

    private static readonly HashSet<string> DecimalFields = ["px", "sz", "ctVal", "ctMult", "qtyBase"];

    /// <summary>
    /// A compacted raw day stores each decimal twice: the exchange's exact text (px) and, for fast
    /// scans, the same value as DECIMAL(38,18) (pxDecimal), computed with <see cref="ExactDecimal"/>.
    /// </summary>
    public const string CompanionSuffix = "Decimal";

    /// <summary>The typed companion columns a compacted raw day adds to the raw columns.</summary>
    public static string RawDecimalCompanions() =>
        string.Join(", ", DecimalFields.Order(StringComparer.Ordinal).Select(f => $"{ExactDecimal(Quote(f))} AS {Quote(f + CompanionSuffix)}"));

    /// <summary>
    /// The <c>trades</c> view's query: every raw day of every exchange and instrument. Each source is
    /// normalised on its own (JSONL: the raw types; Parquet: whatever its columns are, text or DECIMAL,
    /// ms or TIMESTAMPTZ) to the view's types, then the sources are unioned.
    /// </summary>
    public static string TradesSql(DuckDbConnection connection, VaultLayout vault, ICollection<DamagedFile>? damaged = null)
    {
        damaged ??= [];
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        const string jsonlGlob = "raw/*/trades_perps/*/*.jsonl";
        const string parquetGlob = "raw/*/trades_perps/*/*.parquet";
        var rawTypes = RawFields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
        var empty = "SELECT " + string.Join(", ", RawFields.Select(f => $"NULL::{f.Type} AS {Quote(f.Name)}")) +
                    ", NULL::VARCHAR AS filename WHERE false";
        var sources = new List<string> { NormalizeTrades(empty, rawTypes) }; // the view's columns even with no file
        if (AnyFile(vault.Root, jsonlGlob))
        {
            sources.Add(NormalizeTrades(
                $"SELECT * FROM read_json({Literal(Glob(vault, jsonlGlob))}, format='newline_delimited', " +
                $"ignore_errors=true, filename=true, columns={RawTradeColumns})", rawTypes));
        }

        var shadowed = new List<string>();
        if (ParquetSource(connection, vault, parquetGlob, damaged) is var (parquet, parquetColumns, readable))
        {
            sources.Add(NormalizeTrades(parquet, parquetColumns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal)));
            shadowed.AddRange(JsonlDaysWithParquetTwin(vault, readable));
        }

        var pathRegex = $"{Sep}raw{Sep}([^/\\\\]+){Sep}trades_perps{Sep}([^/\\\\]+){Sep}{DayPattern}";
        var fields = string.Join(", ", RawFields.Where(f => f.Name is not ("exchange" or "instId")).Select(f => Quote(f.Name)));
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"""
            SELECT regexp_extract(filename, {Literal(pathRegex)}, 1) AS exchange,
                   regexp_extract(filename, {Literal(pathRegex)}, 2) AS instId,
                   TRY_CAST(regexp_extract(filename, {Literal(pathRegex)}, 3) AS DATE) AS date,
                   {fields}
            FROM ({string.Join(" UNION ALL BY NAME ", sources)})
            WHERE tradeId IS NOT NULL AND ts IS NOT NULL AND {string.Join(" AND ", Representable())}
            """);
        if (shadowed.Count > 0)
        {
            // Mid-compaction both forms of a day can exist for a moment: the Parquet one wins.
            sql.Append(CultureInfo.InvariantCulture,
                $" AND NOT (filename LIKE '%.jsonl' AND regexp_extract(filename, {Literal(pathRegex)}, 1) || '/' || regexp_extract(filename, {Literal(pathRegex)}, 2) || '/' || regexp_extract(filename, {Literal(pathRegex)}, 3) IN ({string.Join(", ", shadowed.Select(Literal))}))");
        }

        return sql.ToString();
    }

    /// <summary>Selects the raw fields of <paramref name="source"/> (column → type) as the view's types.</summary>
    private static string NormalizeTrades(string source, Dictionary<string, string> types)
    {
        var columns = new List<string> { "filename" };
        foreach (var name in CheckedFields.Where(types.ContainsKey))
        {
            columns.Add($"{Quote(name)} IS NOT NULL AS {Quote(RawPrefix + name)}"); // stored: tells "absent" from "unrepresentable"
        }

        foreach (var (name, rawType) in RawFields)
        {
            var q = Quote(name);
            var isTime = name is "ts" or "recvTs";
            var finalType = isTime ? "TIMESTAMPTZ" : DecimalFields.Contains(name) ? DecimalType : rawType;
            if (!types.TryGetValue(name, out var type))
            {
                columns.Add($"NULL::{finalType} AS {q}");
                continue;
            }

            columns.Add(
                isTime && type is "BIGINT" or "INTEGER" or "UBIGINT"
                    ? $"CASE WHEN {q} BETWEEN {MinMs} AND {MaxMs} THEN make_timestamptz({q}::BIGINT * 1000) END AS {q}"
                : isTime && type == "TIMESTAMP WITH TIME ZONE" ? $"{InRange(q)} AS {q}"
                : isTime && type.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? $"{InRange($"timezone('UTC', {q}::TIMESTAMP)")} AS {q}"
                : isTime ? $"{InRange($"TRY_CAST({q} AS TIMESTAMPTZ)")} AS {q}"
                : DecimalFields.Contains(name) && type == "VARCHAR" && types.GetValueOrDefault(name + CompanionSuffix) == DecimalType
                    ? $"COALESCE({Quote(name + CompanionSuffix)}, {ExactDecimal(q)}) AS {q}" // compacted days carry the value typed
                : DecimalFields.Contains(name) && type == "VARCHAR" ? $"{ExactDecimal(q)} AS {q}"
                : type == finalType ? q
                : $"TRY_CAST({q} AS {finalType}) AS {q}");
        }

        return $"SELECT {string.Join(", ", columns)} FROM ({source})";
    }

    // Event times the view shows: years 1 to 9999 (what every client's date type holds), in ms.
    private const long MinMs = -62135596800000;
    private const long MaxMs = 253402300799999;
    private const string RawPrefix = "__stored_";

    /// <summary>Fields whose stored value may fail to convert: the decimals and the times.</summary>
    private static readonly string[] CheckedFields = ["px", "sz", "ctVal", "ctMult", "qtyBase", "ts", "recvTs"];

    private static string InRange(string timestamptz) =>
        $"CASE WHEN {timestamptz} BETWEEN make_timestamptz({MinMs}::BIGINT * 1000) AND make_timestamptz({MaxMs}::BIGINT * 1000) THEN {timestamptz} END";

    /// <summary>A line is left out when a stored value is present but its view type cannot hold it.</summary>
    private static IEnumerable<string> Representable() =>
        CheckedFields.Select(f => $"NOT ({Quote(f)} IS NULL AND coalesce({Quote(RawPrefix + f)}, false))");

    /// <summary>
    /// A read_parquet source over the files of a vault-relative glob that can be read, with its columns:
    /// the glob itself when every file passes, else the list of those that do. A file failing the cheap
    /// footer check (<see cref="ParquetFooter"/>), or whose footer DuckDB cannot read, is reported and left out.
    /// </summary>
    private static (string Source, List<(string Name, string Type)> Columns, HashSet<string> Readable)? ParquetSource(
        DuckDbConnection connection, VaultLayout vault, string glob, ICollection<DamagedFile> damaged)
    {
        var files = Files(vault.Root, glob).Order(StringComparer.Ordinal).ToList();
        var good = new List<string>();
        foreach (var file in files)
        {
            if (ParquetFooter.Problem(file) is { } problem)
            {
                Report(damaged, file, problem);
            }
            else
            {
                good.Add(file);
            }
        }

        if (good.Count == 0)
        {
            return null;
        }

        string Read(List<string> list, bool all) =>
            $"SELECT * FROM read_parquet({(all ? Literal(Glob(vault, glob)) : "[" + string.Join(", ", list.Select(Literal)) + "]")}, union_by_name=true, filename=true)";
        var source = Read(good, good.Count == files.Count);
        try
        {
            return (source, Describe(connection, source), good.ToHashSet(StringComparer.Ordinal));
        }
        catch (DuckDbException)
        {
            // A footer that passes the cheap check but does not parse: find the file(s) one by one.
            var readable = new List<string>();
            foreach (var file in good)
            {
                try
                {
                    Describe(connection, $"SELECT * FROM read_parquet({Literal(file)})");
                    readable.Add(file);
                }
                catch (DuckDbException ex)
                {
                    Report(damaged, file, ex.Message.Split('\n', 2)[0]);
                }
            }

            if (readable.Count == 0)
            {
                return null;
            }

            source = Read(readable, all: false);
            return (source, Describe(connection, source), readable.ToHashSet(StringComparer.Ordinal));
        }
    }

    private static void Report(ICollection<DamagedFile> damaged, string path, string reason)
    {
        Log.Warning("Damaged Parquet file {Path} left out of the query views: {Reason}", path, reason);
        damaged.Add(new DamagedFile(path, reason));
    }

    /// <summary>
    /// A view over auto-detected JSON/Parquet records: path parts first, then the records' own columns
    /// (minus those the path gives), with VARCHAR columns holding decimals cast to DECIMAL(38,18) and
    /// <c>minute</c>/<c>ts</c>-like columns as TIMESTAMPTZ.
    /// </summary>
    private static void CreateAutoView(DuckDbConnection connection, VaultLayout vault, ICollection<DamagedFile> damaged, string name,
        IReadOnlyList<string> jsonlGlobs, IReadOnlyList<string> parquetGlobs, string pathRegex,
        IReadOnlyList<(string Name, int Group, string Type)> pathColumns)
    {
        var sources = new List<string>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        var parquetSources = new List<string>();
        foreach (var glob in parquetGlobs)
        {
            if (ParquetSource(connection, vault, glob, damaged) is var (parquet, _, files))
            {
                parquetSources.Add(parquet);
                readable.UnionWith(files);
            }
        }

        foreach (var glob in jsonlGlobs.Where(g => AnyFile(vault.Root, g)))
        {
            // Mid-compaction both forms of a day can exist for a moment: the (readable) Parquet one wins.
            var shadowed = Files(vault.Root, glob)
                .Where(f => readable.Contains(Path.ChangeExtension(f, ".parquet"))).Select(Literal).ToList();
            sources.Add($"SELECT * FROM read_json({Literal(Glob(vault, glob))}, format='newline_delimited', " +
                        "union_by_name=true, filename=true, ignore_errors=true)" +
                        (shadowed.Count > 0 ? $" WHERE filename NOT IN ({string.Join(", ", shadowed)})" : ""));
        }

        sources.AddRange(parquetSources);

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
        var minuteView = MinuteCalcs.Contains(name);
        var select = new List<string>();
        foreach (var (column, type) in columns)
        {
            var q = Quote(column);
            select.Add(
                IsTimeColumn(column) && type == "TIMESTAMP" ? $"timezone('UTC', {q}) AS {q}"
                : IsTimeColumn(column) && type == "VARCHAR" ? $"TRY_CAST({q} AS TIMESTAMPTZ) AS {q}"
                : IsTimeColumn(column) && type == "BIGINT" && column != "minute" ? $"make_timestamptz({q} * 1000) AS {q}"
                : decimals.Contains(column) ? $"{ExactDecimal(q)} AS {q}"
                // A minute value still null everywhere (ADX before warm-up) is detected as JSON: still a decimal.
                : type == "JSON" && minuteView ? $"{ExactDecimal($"trim({q}::VARCHAR, '\"')")} AS {q}"
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
            $"count({Quote(c)}) AS n, count({Quote(c)}) FILTER (WHERE {ExactDecimal(Quote(c))} IS NULL) AS bad");
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

    private static IEnumerable<string> JsonlDaysWithParquetTwin(VaultLayout vault, HashSet<string> readableParquet)
    {
        foreach (var exchange in vault.RawExchanges())
        {
            foreach (var instId in vault.RawInstruments(exchange))
            {
                foreach (var day in vault.RawDays(exchange, instId))
                {
                    if (File.Exists(vault.RawDayJsonl(exchange, instId, day)) && readableParquet.Contains(vault.RawDayParquet(exchange, instId, day)))
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
