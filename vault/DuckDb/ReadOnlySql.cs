using System.Text.Json;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Decides, before anything runs, whether SQL text may run in the vault query session. An
/// allow-list, decided by DuckDB's own parser: <c>json_serialize_sql</c> serializes only SELECT
/// statements (DESCRIBE, SHOW and SUMMARIZE parse as a SELECT over a SHOW_REF) and returns an error
/// for everything else, so the text must be exactly one such statement, or <c>EXPLAIN</c> followed by
/// one (no ANALYZE: that runs its statement). Every table function in the statement tree must be on
/// <see cref="TableFunctions"/>: a SELECT can call functions that change the session or write files
/// (<c>enable_logging(storage_path=...)</c>, <c>enable_profiling()</c>) or run SQL text the check
/// cannot see (<c>query()</c>). Parsing binds nothing and touches no file.
/// </summary>
internal static class ReadOnlySql
{
    /// <summary>Table functions that only read (files inside the vault, catalog metadata, generators).</summary>
    internal static readonly HashSet<string> TableFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "range", "generate_series", "unnest", "repeat", "repeat_row", "glob", "summary",
        "read_csv", "read_csv_auto", "sniff_csv", "read_text", "read_blob",
        "read_json", "read_json_auto", "read_json_objects", "read_json_objects_auto",
        "read_ndjson", "read_ndjson_auto", "read_ndjson_objects", "read_ndjson_objects_auto", "json_each", "json_tree",
        "read_parquet", "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
        "parquet_kv_metadata", "parquet_full_metadata", "parquet_bloom_probe",
        "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies", "duckdb_functions",
        "duckdb_indexes", "duckdb_keywords", "duckdb_schemas", "duckdb_sequences", "duckdb_settings", "duckdb_tables",
        "duckdb_types", "duckdb_views", "duckdb_memory", "duckdb_temporary_files", "duckdb_variables",
        "pragma_version", "pragma_platform", "pragma_table_info", "pragma_show", "pragma_collations",
        "pg_timezone_names", "icu_calendar_names",
    };

    /// <summary>
    /// The text to run for <paramref name="sql"/>, and whether it is an EXPLAIN; throws
    /// <see cref="DuckDbException"/> with a one-line reason when the text may not run.
    /// </summary>
    public static (string Text, bool IsExplain) Check(DuckDbConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            // The C API reads statement text up to the first NUL; the parser check reads all of it.
            throw Refused("the text contains a NUL character");
        }

        var (first, rest) = FirstWord(sql);
        if (first.Equals("EXPLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var (next, _) = FirstWord(rest);
            if (next.Equals("ANALYZE", StringComparison.OrdinalIgnoreCase) || next.Equals("ANALYSE", StringComparison.OrdinalIgnoreCase))
            {
                throw Refused("EXPLAIN ANALYZE runs its statement; use EXPLAIN without ANALYZE");
            }

            // What runs is built here from the part DuckDB accepted as one SELECT, not the original text.
            CheckSelect(connection, rest, "EXPLAIN " + next);
            return ("EXPLAIN " + rest, true);
        }

        CheckSelect(connection, sql, first);
        return (sql, false);
    }

    private static void CheckSelect(DuckDbConnection connection, string sql, string firstWord)
    {
        var json = connection.Scalar<string>("SELECT json_serialize_sql(?::VARCHAR)", sql)
                   ?? throw Refused("DuckDB could not parse the statement");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() : null;
            if (type == "parser")
            {
                // The user's syntax error, reported as DuckDB reports it.
                throw new DuckDbException("Parser Error: " + (message ?? "syntax error").Split('\n', 2)[0]);
            }

            var what = string.IsNullOrEmpty(firstWord) ? "this statement" : firstWord.ToUpperInvariant() + " statements";
            throw Refused($"{what} are not allowed");
        }

        if (!root.TryGetProperty("statements", out var statements) || statements.ValueKind != JsonValueKind.Array)
        {
            throw Refused("DuckDB did not classify the statement");
        }

        if (statements.GetArrayLength() != 1)
        {
            throw Refused($"one statement at a time ({statements.GetArrayLength()} given)");
        }

        foreach (var name in TableFunctionNames(statements[0]))
        {
            if (!TableFunctions.Contains(name))
            {
                throw Refused($"the table function {name}() is not allowed");
            }
        }
    }

    /// <summary>The name of every table function the statement tree calls (null names become "?").</summary>
    private static IEnumerable<string> TableFunctionNames(JsonElement element)
    {
        var pending = new Stack<JsonElement>();
        pending.Push(element);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
                    type.GetString() == "TABLE_FUNCTION")
                {
                    var name = node.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object &&
                               function.TryGetProperty("function_name", out var n) && n.ValueKind == JsonValueKind.String
                        ? n.GetString()
                        : null;
                    yield return string.IsNullOrEmpty(name) ? "?" : name;
                }

                foreach (var property in node.EnumerateObject())
                {
                    pending.Push(property.Value);
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    pending.Push(item);
                }
            }
        }
    }

    /// <summary>The first word after whitespace and comments (<c>--</c>, nested <c>/* */</c>), and the text after it.</summary>
    internal static (string Word, string After) FirstWord(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var depth = 0;
                while (i < sql.Length)
                {
                    if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
                    {
                        depth++;
                        i += 2;
                    }
                    else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
                    {
                        i += 2;
                        if (--depth == 0)
                        {
                            break;
                        }
                    }
                    else
                    {
                        i++;
                    }
                }
            }
            else
            {
                break;
            }
        }

        var start = i;
        while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '_'))
        {
            i++;
        }

        return (sql[start..i], sql[i..]);
    }

    private static DuckDbException Refused(string reason) => new(
        $"refused: the vault query session is read-only ({reason}); allowed is one SELECT, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN <select>");
}
