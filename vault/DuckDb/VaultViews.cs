using System.Globalization;
using System.Text;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The SQL view layer over a vault: <c>trades</c> (every raw day, JSONL and Parquet together),
/// the minute outputs <c>bars_1m</c>, <c>vwap</c>, <c>bands</c>, <c>cvd</c>, <c>adx</c>, <c>kyle</c>, <c>ofi</c>,
/// <c>microprice</c>, <c>vpin</c>, <c>bookdepth</c>, and
/// <c>signals</c>, <c>orders</c>, <c>fills</c>, <c>positions</c>. Every view has a fixed schema
/// (<see cref="ViewSchemas"/>, the writers' record formats), so creating the views reads no JSON file and
/// of a Parquet file only its footer. Path parts (exchange, instId, date, strategy) come from the file
/// path, so a filter on them reads only the matching files. Decimals get exact types chosen so a product of
/// two values and its sums neither overflow nor round (<see cref="ViewSchemas"/>); times are TIMESTAMPTZ
/// (UTC). A view whose files do not exist yet is empty, not an error; a torn or garbage line is skipped,
/// never fatal; a damaged Parquet file (truncated, unreadable footer) is reported (<see cref="Create"/>
/// returns it, with a warning naming its path) and left out, so one bad day never takes down the other
/// days, instruments or views. A trade line without an event time, or with a time outside years 1–9999, is left
/// out of <c>trades</c>; a recorded decimal its column's type cannot hold exactly stays in the view and makes a
/// query that reads it fail with the value, trade and file named (never rounded, never hidden).
/// </summary>
public static class VaultViews
{
    /// <summary>The minute outputs with a view: the bar calculators, then the microstructure ones (written when the vault has quotes or book days).</summary>
    public static IReadOnlyList<string> MinuteCalcs { get; } = ["bars_1m", "vwap", "bands", "cvd", "adx", "kyle", "ofi", "microprice", "vpin", "bookdepth"];

    public static IReadOnlyList<string> LedgerFiles { get; } = ["orders", "fills", "positions"];

    /// <summary>Every view <see cref="Create"/> makes, in order.</summary>
    /// <summary>The microstructure views, one per recorded kind (raw/{exchange}/{kind}_perps).</summary>
    public static IReadOnlyList<string> MicroViews { get; } = [.. Micro.MicroKinds.All.Select(Micro.MicroKinds.Name)];

    public static IReadOnlyList<string> Names { get; } = ["trades", .. MicroViews, .. MinuteCalcs, "signals", .. LedgerFiles];

    /// <summary>
    /// The raw trade columns with their stored types, for <c>read_json(..., columns=...)</c>. A compacted
    /// Parquet day holds exactly these columns and types (<see cref="RawTradesSelect"/> writes them).
    /// </summary>
    public const string RawTradeColumns =
        "{exchange:'VARCHAR', instId:'VARCHAR', tradeId:'VARCHAR', ts:'BIGINT', px:'VARCHAR', sz:'VARCHAR', " +
        "side:'VARCHAR', ctVal:'VARCHAR', ctMult:'VARCHAR', ctType:'VARCHAR', ctValCcy:'VARCHAR', qtyBase:'VARCHAR', " +
        "recvTs:'BIGINT', src:'VARCHAR', count:'BIGINT', firstId:'BIGINT', lastId:'BIGINT'}";


    /// <summary>
    /// SELECT of the raw columns (stored types, torn/garbage lines dropped) from JSONL file(s) or a glob:
    /// what <c>COPY (...) TO 'day.parquet' (FORMAT parquet)</c> writes for a compacted day.
    /// </summary>
    public static string RawTradesSelect(string jsonlPathOrGlob) =>
        $"SELECT * FROM read_json({Literal(jsonlPathOrGlob)}, format='newline_delimited', ignore_errors=true, " +
        $"columns={RawTradeColumns}) WHERE tradeId IS NOT NULL";

    /// <summary>
    /// SQL turning decimal text into DECIMAL(38,<paramref name="scale"/>) exactly, or NULL when the text is
    /// not a plain decimal or does not fit (more than <paramref name="scale"/> decimals after trailing zeros,
    /// or more than 38 − scale integer digits): never rounded (a plain TRY_CAST rounds extra decimals).
    /// Text with at most 10 integer and 8 fractional digits (nearly every value) takes the fast DECIMAL(18,8) path.
    /// </summary>
    public static string ExactDecimal(string sqlExpression, int scale)
    {
        ArgumentNullException.ThrowIfNull(sqlExpression);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 37);
        var x = sqlExpression;
        var type = $"DECIMAL(38,{scale})";
        return $"CASE WHEN strpos({x}, 'e') > 0 OR strpos({x}, 'E') > 0 THEN NULL " +
               $"WHEN (strpos({x}, '.') BETWEEN 1 AND 11 AND length({x}) - strpos({x}, '.') <= 8) OR (strpos({x}, '.') = 0 AND length({x}) <= 10) " +
               $"THEN TRY_CAST({x} AS DECIMAL(18,8))::{type} " +
               $"WHEN strpos({x}, '.') = 0 OR length(rtrim({x}, '0')) - strpos({x}, '.') <= {scale} THEN TRY_CAST({x} AS {type}) END";
    }

    /// <summary>
    /// Creates (or replaces) every view for <paramref name="vault"/> on <paramref name="connection"/>;
    /// returns the damaged files the views leave out (each also logged as a warning). Every view has a fixed
    /// schema (<see cref="ViewSchemas"/>): no JSON file is read, and of the Parquet files only their footers.
    /// <paramref name="bandMultipliers"/> names the <c>bands</c> columns (default: the calculators' default, 1 and 2).
    /// </summary>
    public static IReadOnlyList<DamagedFile> Create(DuckDbConnection connection, VaultLayout vault, IReadOnlyList<decimal>? bandMultipliers = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        var damaged = new List<DamagedFile>();
        // Binding a Parquet source reads its first file's footer (DESCRIBE, CREATE VIEW, every query), a scan
        // every file's: cached, each footer is parsed once per session.
        connection.Execute("SET parquet_metadata_cache = true");
        connection.Execute("CREATE OR REPLACE VIEW trades AS " + TradesSql(connection, vault, damaged));
        foreach (var kind in Micro.MicroKinds.All)
        {
            connection.Execute($"CREATE OR REPLACE VIEW {Micro.MicroKinds.Name(kind)} AS " + MicroSql(connection, vault, kind, damaged));
        }

        foreach (var calc in MinuteCalcs)
        {
            var dir = $"derived/{calc}/*/perps/*/";
            CreateFixedView(connection, vault, damaged, calc, dir + "*.jsonl", dir + "*.parquet",
                [("exchange", 4, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 1, "DATE")],
                ViewSchemas.MinuteColumn, ViewSchemas.Minute(calc, bandMultipliers));
        }

        CreateFixedView(connection, vault, damaged, "signals", "derived/signals/*/*/*/*.jsonl", "derived/signals/*/*/*/*.parquet",
            [("strategy", 4, "VARCHAR"), ("exchange", 3, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 1, "DATE")],
            ViewSchemas.MinuteColumn, ViewSchemas.Signals);
        foreach (var ledger in LedgerFiles)
        {
            CreateFixedView(connection, vault, damaged, ledger, $"ledger/*/{ledger}.jsonl", null,
                [("strategy", 2, "VARCHAR")],
                ViewSchemas.LedgerTsColumn, ViewSchemas.Ledger(ledger));
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
    /// A compacted raw day stores each decimal twice: the exchange's exact text (px) and, for fast scans,
    /// the same value in the view's type DECIMAL(38,10) (pxDecimal), NULL when that type cannot hold it exactly
    /// (<see cref="ExactDecimal(string, int)"/>). Days compacted before 2026-11-30 have DECIMAL(38,18)
    /// companions, which the view does not use (narrowing them costs more than parsing the text).
    /// </summary>
    public const string CompanionSuffix = "Decimal";

    /// <summary>The typed companion columns a compacted raw day adds to the raw columns.</summary>
    public static string RawDecimalCompanions() =>
        string.Join(", ", DecimalFields.Order(StringComparer.Ordinal)
            .Select(f => $"{ExactDecimal(Quote(f), ViewSchemas.AmountScale)} AS {Quote(f + CompanionSuffix)}"));

    /// <summary>
    /// The <c>trades</c> view's query: every raw day of every exchange and instrument, with the fixed
    /// columns of <see cref="ViewSchemas.Trades"/> after exchange, instId and date (from the path, so a filter
    /// on them reads only the matching day files). JSONL days are read as the raw types; Parquet days (text or
    /// DECIMAL, ms or TIMESTAMPTZ, with or without companions) are cast to the view's types. A line whose stored
    /// time its column cannot hold is left out; a decimal its column cannot hold fails the query that reads it.
    /// </summary>
    public static string TradesSql(DuckDbConnection connection, VaultLayout vault, ICollection<DamagedFile>? damaged = null)
    {
        damaged ??= [];
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        const string jsonlGlob = "raw/*/trades_perps/*/*.jsonl";
        const string parquetGlob = "raw/*/trades_perps/*/*.parquet";
        var columns = ViewSchemas.Trades;
        var pathColumns = new List<(string Name, int Group, string Type)> { ("exchange", 4, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 1, "DATE") };
        var sources = new List<string>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        if (ParquetSource(connection, vault, parquetGlob, damaged) is var (groups, files))
        {
            foreach (var (parquet, parquetColumns) in groups)
            {
                sources.Add(Normalize((parquet, null), pathColumns, columns,
                    parquetColumns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal), checkStored: true));
            }

            readable = files;
        }

        if (JsonlSource(vault, jsonlGlob, RawTradeColumns, readable) is { } jsonl)
        {
            sources.Add(Normalize(jsonl, pathColumns, columns,
                RawFields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal), checkStored: true));
        }

        if (sources.Count == 0)
        {
            return EmptySelect(pathColumns, columns);
        }

        var fields = string.Join(", ", pathColumns.Select(p => Quote(p.Name))
            .Concat(columns.Select(c => c.IsDecimal ? $"{CheckedDecimal(c, "trades", "tradeId")} AS {Quote(c.Name)}" : Quote(c.Name))));
        return $"SELECT {fields} " +
               $"FROM ({string.Join(" UNION ALL BY NAME ", sources)}) " +
               $"WHERE tradeId IS NOT NULL AND ts IS NOT NULL AND {string.Join(" AND ", Representable(columns))}";
    }

    /// <summary>
    /// The query of a microstructure view (<c>quotes</c>, <c>book</c>, <c>liquidations</c>, <c>derivatives</c>): every day
    /// of the kind, JSONL and compacted Parquet together, with exchange, instId and date from the path (a filter on them
    /// reads only the matching files), then the line's fields in the fixed types of <see cref="ViewSchemas.Micro"/>. As
    /// in <c>trades</c>: a line without an event time (torn, garbage) is left out; a decimal its type cannot hold exactly
    /// fails the query that reads it, naming the value, the line's ts and the file (never rounded, never hidden).
    /// </summary>
    public static string MicroSql(DuckDbConnection connection, VaultLayout vault, Micro.MicroKind kind, ICollection<DamagedFile>? damaged = null)
    {
        damaged ??= [];
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(vault);
        var name = Micro.MicroKinds.Name(kind);
        var columns = ViewSchemas.Micro(kind);
        var pathColumns = new List<(string Name, int Group, string Type)> { ("exchange", 4, "VARCHAR"), ("instId", 2, "VARCHAR"), ("date", 1, "DATE") };
        var sources = new List<string>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        if (ParquetSource(connection, vault, $"raw/*/{name}_perps/*/*.parquet", damaged) is var (groups, files))
        {
            foreach (var (parquet, parquetColumns) in groups)
            {
                sources.Add(Normalize((parquet, null), pathColumns, columns,
                    parquetColumns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal), checkStored: true));
            }

            readable = files;
        }

        if (JsonlSource(vault, $"raw/*/{name}_perps/*/*.jsonl", Micro.MicroDayFiles.ColumnSpec(kind), readable) is { } jsonl)
        {
            sources.Add(Normalize(jsonl, pathColumns, columns,
                Micro.MicroDayFiles.Columns(kind).ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal), checkStored: true));
        }

        if (sources.Count == 0)
        {
            return EmptySelect(pathColumns, columns);
        }

        var fields = string.Join(", ", pathColumns.Select(p => Quote(p.Name))
            .Concat(columns.Select(c => c.IsDecimal ? $"{CheckedDecimal(c, name, "ts")} AS {Quote(c.Name)}" : Quote(c.Name))));
        return $"SELECT {fields} FROM ({string.Join(" UNION ALL BY NAME ", sources)}) " +
               $"WHERE ts IS NOT NULL AND {string.Join(" AND ", Representable(columns))}";
    }

    /// <summary>
    /// A book side as the view shows it: the line's [["px","sz"], ...] as a list of {px, sz} DECIMAL(38,10) structs, best
    /// first as recorded. A level whose price or size that type cannot hold exactly (or that is not a number) fails the
    /// query reading it, naming the value, the line's ts and the file.
    /// </summary>
    private static string LevelList(ViewColumn column, string text)
    {
        string Checked(string item, string part)
        {
            var exact = ExactDecimal(item, ViewSchemas.AmountScale);
            return $"CASE WHEN {item} IS NULL THEN NULL WHEN ({exact}) IS NULL THEN error('book.{column.Name} {part} ' || {item} || ' (ts ' || " +
                   $"coalesce(ts::VARCHAR, '?') || ', ' || filename || ') is not a decimal {ViewSchemas.AmountType} holds exactly " +
                   $"(at most {38 - ViewSchemas.AmountScale} integer digits and {ViewSchemas.AmountScale} decimals); it is never rounded') ELSE {exact} END";
        }

        return $"list_transform(CAST(({text})::JSON AS VARCHAR[][]), l -> {{'px': {Checked("l[1]", "px")}, 'sz': {Checked("l[2]", "sz")}}})";
    }

    /// <summary>
    /// A read_json source over a vault-relative glob with fixed columns (nothing is sampled), or null when
    /// no file matches; a day whose readable Parquet twin exists (mid-compaction) is left to the Parquet one.
    /// </summary>
    private static (string From, string? Where)? JsonlSource(VaultLayout vault, string glob, string columnsSpec, HashSet<string> readableParquet)
    {
        if (!AnyFile(vault.Root, glob))
        {
            return null;
        }

        var shadowed = readableParquet.Count == 0
            ? []
            : Files(vault.Root, glob).Where(f => readableParquet.Contains(Path.ChangeExtension(f, ".parquet"))).Select(Literal).ToList();
        return ($"read_json({Literal(Glob(vault, glob))}, format='newline_delimited', ignore_errors=true, filename=true, columns={columnsSpec})",
            shadowed.Count > 0 ? $"filename NOT IN ({string.Join(", ", shadowed)})" : null);
    }

    private static string JsonColumns(IEnumerable<ViewColumn> columns) =>
        "{" + string.Join(", ", columns.Select(c => $"{Literal(c.Name)}: {Literal(c.StoredType)}")) + "}";

    /// <summary>
    /// The path parts from the file name: Group is the path component counted from the end (1: the file
    /// name without its extension). parse_path/parse_filename, not regexp_extract: DuckDB evaluates a filter
    /// on them once per file to prune the file list, and a regular expression there cost ~0.3 ms a file.
    /// </summary>
    private static IEnumerable<string> PathSelect(IEnumerable<(string Name, int Group, string Type)> pathColumns) =>
        pathColumns.Select(p =>
        {
            var part = p.Group == 1 ? "parse_filename(filename, true, 'both_slash')" : $"parse_path(filename, 'both_slash')[-{p.Group}]";
            return p.Type == "VARCHAR" ? $"{part} AS {Quote(p.Name)}" : $"TRY_CAST({part} AS {p.Type}) AS {Quote(p.Name)}";
        });

    private static string EmptySelect(IEnumerable<(string Name, int Group, string Type)> pathColumns, IEnumerable<ViewColumn> columns) =>
        "SELECT " + string.Join(", ", pathColumns.Select(p => $"NULL::{p.Type} AS {Quote(p.Name)}")
            .Concat(columns.Select(c => $"NULL::{c.ViewType} AS {Quote(c.Name)}"))) + " WHERE false";

    /// <summary>
    /// Selects the path parts and <paramref name="columns"/> of the table function <paramref name="from"/> (whose
    /// columns have the given types) as the view's types; a column the files lack is NULL. The path parts are
    /// computed right over the scan: only there does DuckDB turn a filter on them into a file filter (through a
    /// further projection a filter on a cast path part stays a row filter). With <paramref name="checkStored"/>
    /// each time column also gets a flag telling "absent" from "unrepresentable", and each decimal raises an error
    /// when read if its type cannot hold it.
    /// </summary>
    private static string Normalize((string From, string? Where) source,
        IEnumerable<(string Name, int Group, string Type)> pathColumns, IEnumerable<ViewColumn> columns,
        Dictionary<string, string> types, bool checkStored = false)
    {
        var select = PathSelect(pathColumns).ToList();
        foreach (var column in columns)
        {
            var q = Quote(column.Name);
            if (!types.TryGetValue(column.Name, out var type))
            {
                if (checkStored && column.IsDecimal)
                {
                    select.Add($"NULL::{column.ViewType} AS {Quote(ValuePrefix + column.Name)}");
                    select.Add($"NULL::VARCHAR AS {Quote(TextPrefix + column.Name)}");
                    continue;
                }

                select.Add($"NULL::{column.ViewType} AS {q}");
                if (checkStored && IsCheckedTime(column))
                {
                    select.Add($"false AS {Quote(RawPrefix + column.Name)}");
                }

                continue;
            }

            if (checkStored && IsCheckedTime(column))
            {
                select.Add($"{q} IS NOT NULL AS {Quote(RawPrefix + column.Name)}");
            }

            // A compacted day's companion in the view's own type is the value, already checked exact.
            var value = column.IsDecimal && types.TryGetValue(column.Name + CompanionSuffix, out var companionType) && companionType == column.ViewType
                ? Quote(column.Name + CompanionSuffix)
                : Convert(column, q, type);
            if (checkStored && column.IsDecimal)
            {
                select.Add($"{value} AS {Quote(ValuePrefix + column.Name)}");
                // Text is what the checks need only where no value came out (a typed column's cast costs).
                select.Add($"{(type == "VARCHAR" ? q : $"CASE WHEN {q} IS NOT NULL AND {value} IS NULL THEN TRY_CAST({q} AS VARCHAR) END")} AS {Quote(TextPrefix + column.Name)}");
            }
            else
            {
                select.Add($"{value} AS {q}");
            }
        }

        if (checkStored)
        {
            select.Add($"filename AS {Quote(FilePart)}");
        }

        return $"SELECT {string.Join(", ", select)} FROM {source.From}" + (source.Where is { } where ? $" WHERE {where}" : "");
    }

    private static bool IsCheckedTime(ViewColumn column) => column.Kind is ViewColumnKind.MsTime or ViewColumnKind.IsoTime;

    /// <summary>
    /// The error a recorded decimal its view type cannot hold raises when a query reads it: the line stays in
    /// the view (a count or a query of other columns still sees it), the value is never rounded or hidden.
    /// </summary>
    private static string DoesNotFit(ViewColumn column, string q, string view, string key)
    {
        var hint = column.Name == "qtyBase"
            ? "an inverse contract''s qtyBase (sz * ctVal / px) has up to 28 decimals: compute it in the query from sz, ctVal and px, or filter with ctType = ''linear''"
            : "leave this instrument or day out of the query";
        return $"error('{view}.{column.Name} ' || {q} || ' ({key} ' || coalesce({Quote(key)}::VARCHAR, '?') || ', ' || {Quote(FilePart)} || ') " +
               $"does not fit {column.ViewType} exactly (at most {38 - column.Scale} integer digits and {column.Scale} decimals) and is never rounded; {hint}')";
    }

    /// <summary>The SQL converting stored column <paramref name="q"/> of type <paramref name="type"/> to the column's view type.</summary>
    private static string Convert(ViewColumn column, string q, string type)
    {
        var isInteger = type is "BIGINT" or "INTEGER" or "UBIGINT" or "HUGEINT" or "SMALLINT" or "TINYINT" or "UINTEGER";
        switch (column.Kind)
        {
            case ViewColumnKind.Text:
                return type == "VARCHAR" ? q : $"TRY_CAST({q} AS VARCHAR)";
            case ViewColumnKind.WholeNumber:
                return type == "BIGINT" ? q : $"TRY_CAST({q} AS BIGINT)";
            case ViewColumnKind.Levels:
                return LevelList(column, type is "VARCHAR" or "JSON" ? q : $"TRY_CAST({q} AS VARCHAR)");
            case ViewColumnKind.MsTime or ViewColumnKind.IsoTime:
                return isInteger && column.Kind == ViewColumnKind.MsTime
                        ? $"CASE WHEN {q} BETWEEN {MinMs} AND {MaxMs} THEN make_timestamptz({q}::BIGINT * 1000) END"
                    : type == "TIMESTAMP WITH TIME ZONE" ? InRange(q)
                    : type.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? InRange($"timezone('UTC', {q}::TIMESTAMP)")
                    : InRange($"TRY_CAST({q}::VARCHAR AS TIMESTAMPTZ)");
            default:
                var target = column.ViewType;
                var scale = column.Scale;
                return type == "VARCHAR" ? ExactDecimal(q, scale)
                    : isInteger ? $"TRY_CAST({q} AS {target})"
                    : DecimalScale(type) is { } s && s <= scale ? $"TRY_CAST({q} AS {target})"
                    : DecimalScale(type) is not null ? $"CASE WHEN {q} = round({q}, {scale}) THEN TRY_CAST({q} AS {target}) END"
                    : type == "JSON" ? ExactDecimal($"trim({q}::VARCHAR, '\"')", scale)
                    : ExactDecimal($"{q}::VARCHAR", scale);
        }
    }

    /// <summary>The scale of a DECIMAL(p,s) type name, else null.</summary>
    private static int? DecimalScale(string type)
    {
        if (!type.StartsWith("DECIMAL(", StringComparison.Ordinal) || !type.EndsWith(')'))
        {
            return null;
        }

        var comma = type.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && int.TryParse(type.AsSpan(comma + 1, type.Length - comma - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    // Event times the view shows: years 1 to 9999 (what every client's date type holds), in ms.
    private const long MinMs = -62135596800000;
    private const long MaxMs = 253402300799999;
    private const string RawPrefix = "__stored_";
    private const string ValuePrefix = "__value_";
    private const string TextPrefix = "__text_";
    private const string FilePart = "__file";

    /// <summary>
    /// A trades decimal column over the per-source value and text: the value, or (text present, no value) an
    /// error when the text is a number the type cannot hold. Garbage text is left out by <see cref="Representable"/>.
    /// </summary>
    private static string CheckedDecimal(ViewColumn column, string view, string key) =>
        $"coalesce({Quote(ValuePrefix + column.Name)}, CASE WHEN {Quote(TextPrefix + column.Name)} IS NOT NULL THEN {DoesNotFit(column, Quote(TextPrefix + column.Name), view, key)} END)";

    /// <summary>What an exchange sends and a raw line holds (<see cref="Trades.ExactDecimal.IsPlain(ReadOnlySpan{byte})"/>).</summary>
    private const string PlainDecimal = @"'-?[0-9]+(\.[0-9]+)?'";

    private static string InRange(string timestamptz) =>
        $"CASE WHEN {timestamptz} BETWEEN make_timestamptz({MinMs}::BIGINT * 1000) AND make_timestamptz({MaxMs}::BIGINT * 1000) THEN {timestamptz} END";

    /// <summary>
    /// A line is left out when a stored time is present but outside years 1–9999, or a stored decimal is not a
    /// number at all: not a valid trade (verify reports it). A number too large or precise for its type is not
    /// left out (<see cref="CheckedDecimal"/>).
    /// </summary>
    private static IEnumerable<string> Representable(IEnumerable<ViewColumn> columns) =>
        columns.Where(IsCheckedTime).Select(c => $"NOT ({Quote(c.Name)} IS NULL AND coalesce({Quote(RawPrefix + c.Name)}, false))")
            .Concat(columns.Where(c => c.IsDecimal).Select(c =>
                // CASE, not AND: DuckDB would run the pattern on every row; only a value-less text needs it.
                $"CASE WHEN {Quote(ValuePrefix + c.Name)} IS NULL AND {Quote(TextPrefix + c.Name)} IS NOT NULL " +
                $"THEN regexp_full_match({Quote(TextPrefix + c.Name)}, {PlainDecimal}) ELSE true END"));

    /// <summary>
    /// read_parquet sources over the files of a vault-relative glob that can be read, one per schema (files
    /// compacted by different versions differ: text or typed, with or without companions), with their columns.
    /// Files are grouped by their footer's schema bytes (<see cref="ParquetSchemaKey"/>), so no group needs
    /// <c>union_by_name</c> and binding a group reads one footer: start-up does not grow with the number of days.
    /// A file failing the cheap footer check (<see cref="ParquetFooter"/>), whose footer does not parse, or
    /// that DuckDB cannot read is reported and left out.
    /// </summary>
    private static (List<(string Source, List<(string Name, string Type)> Columns)> Groups, HashSet<string> Readable)? ParquetSource(
        DuckDbConnection connection, VaultLayout vault, string glob, ICollection<DamagedFile> damaged)
    {
        var files = Files(vault.Root, glob).Order(StringComparer.Ordinal).ToList();
        var bySchema = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // One open per good file (the cheap check runs only to name what is wrong with a bad one), on every
        // core: this is most of the start-up of a vault with years of compacted days.
        var keys = new string?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => keys[i] = ParquetSchemaKey.Read(files[i]));
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (keys[i] is not { } key)
            {
                Report(damaged, file, ParquetFooter.Problem(file) ?? "the Parquet footer does not parse");
            }
            else if (bySchema.TryGetValue(key, out var group))
            {
                group.Add(file);
            }
            else
            {
                bySchema[key] = [file];
            }
        }

        if (bySchema.Count == 0)
        {
            return null;
        }

        string Read(List<string> list) =>
            $"read_parquet({(list.Count == files.Count ? Literal(Glob(vault, glob)) : "[" + string.Join(", ", list.Select(Literal)) + "]")}, filename=true)";
        var groups = new List<(string, List<(string, string)>)>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in bySchema.Values)
        {
            try
            {
                var source = Read(list);
                groups.Add((source, Describe(connection, "SELECT * FROM " + source)));
                readable.UnionWith(list);
            }
            catch (DuckDbException)
            {
                // The first file's footer parses structurally but DuckDB rejects it: find the file(s) one by one.
                var good = new List<string>();
                foreach (var file in list)
                {
                    try
                    {
                        Describe(connection, $"SELECT * FROM read_parquet({Literal(file)})");
                        good.Add(file);
                    }
                    catch (DuckDbException ex)
                    {
                        Report(damaged, file, ex.Message.Split('\n', 2)[0]);
                    }
                }

                if (good.Count > 0)
                {
                    var source = Read(good);
                    groups.Add((source, Describe(connection, "SELECT * FROM " + source)));
                    readable.UnionWith(good);
                }
            }
        }

        return groups.Count == 0 ? null : (groups, readable);
    }

    private static void Report(ICollection<DamagedFile> damaged, string path, string reason)
    {
        Log.Warning("Damaged Parquet file {Path} left out of the query views: {Reason}", path, reason);
        damaged.Add(new DamagedFile(path, reason));
    }

    /// <summary>
    /// A view with a fixed schema over JSONL and (optionally) Parquet day files: the leading time column,
    /// then the path parts (computed from the file name, so a filter on them prunes files), then the
    /// record's columns. A row with no value at all (a torn line) is left out.
    /// </summary>
    private static void CreateFixedView(DuckDbConnection connection, VaultLayout vault, ICollection<DamagedFile> damaged, string name,
        string jsonlGlob, string? parquetGlob, IReadOnlyList<(string Name, int Group, string Type)> pathColumns,
        ViewColumn lead, IReadOnlyList<ViewColumn> columns)
    {
        var all = new List<ViewColumn> { lead };
        all.AddRange(columns);
        var sources = new List<string>();
        var readable = new HashSet<string>(StringComparer.Ordinal);
        if (parquetGlob is not null && ParquetSource(connection, vault, parquetGlob, damaged) is var (groups, files))
        {
            foreach (var (parquet, parquetColumns) in groups)
            {
                sources.Add(Normalize((parquet, null), pathColumns, all, parquetColumns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal)));
            }

            readable = files;
        }

        if (JsonlSource(vault, jsonlGlob, JsonColumns(all), readable) is { } jsonl)
        {
            sources.Add(Normalize(jsonl, pathColumns, all, all.ToDictionary(c => c.Name, c => c.StoredType, StringComparer.Ordinal)));
        }

        string sql;
        if (sources.Count == 0)
        {
            sql = "SELECT " + string.Join(", ",
                new[] { $"NULL::{lead.ViewType} AS {Quote(lead.Name)}" }
                    .Concat(pathColumns.Select(p => $"NULL::{p.Type} AS {Quote(p.Name)}"))
                    .Concat(columns.Select(c => $"NULL::{c.ViewType} AS {Quote(c.Name)}"))) + " WHERE false";
        }
        else
        {
            var select = new List<string> { Quote(lead.Name) };
            select.AddRange(pathColumns.Select(p => Quote(p.Name)));
            select.AddRange(columns.Select(c => Quote(c.Name)));
            sql = $"SELECT {string.Join(", ", select)} FROM ({string.Join(" UNION ALL BY NAME ", sources)}) " +
                  $"WHERE {string.Join(" OR ", all.Select(c => Quote(c.Name) + " IS NOT NULL"))}";
        }

        connection.Execute($"CREATE OR REPLACE VIEW {Quote(name)} AS {sql}");
    }

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
