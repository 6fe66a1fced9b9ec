using System.Globalization;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;

namespace Pipeline.Vault.Compaction;

/// <summary>
/// Writes one JSONL day as Parquet (zstd) through DuckDB and proves the copy: same row count, same
/// key multiset (raw: tradeId, derived: minute) and the same content (a hash of every column per
/// key). Every value is stored with its text intact: raw prices and sizes stay VARCHAR exactly as
/// the exchange sent them, derived decimals stay the calculators' strings, times stay their ISO text.
/// </summary>
public static class ParquetDay
{
    public const string TempSuffix = ".tmp";

    private static readonly string[] RawColumns =
    [
        "exchange", "instId", "tradeId", "ts", "px", "sz", "side", "ctVal", "ctMult", "ctType", "ctValCcy", "qtyBase",
        "recvTs", "src", "count", "firstId", "lastId",
    ];

    /// <summary>How a day file is read: the SELECT over its JSONL, its columns and its key column.</summary>
    public sealed record Source(string Select, IReadOnlyList<string> Columns, string Key);

    /// <summary>
    /// The raw trade day: every column typed as stored (<see cref="VaultViews.RawTradeColumns"/>), plus the
    /// decimals again in the <c>trades</c> view's type DECIMAL(38,10) (pxDecimal, ...; NULL where that type cannot
    /// hold the value exactly) so scans need not parse text. Verification compares the raw columns; the
    /// companions are derived from them in the same statement and checked against them by <c>verify</c>.
    /// </summary>
    public static Source Raw(string jsonl) =>
        new($"SELECT *, {VaultViews.RawDecimalCompanions()} FROM ({VaultViews.RawTradesSelect(jsonl)})", RawColumns, "tradeId");

    /// <summary>
    /// A derived minute day: the columns DuckDB finds (every line sampled), integers kept BIGINT,
    /// booleans BOOLEAN, everything else (decimal strings, the minute, nulls) VARCHAR so the text
    /// survives byte for byte.
    /// </summary>
    public static Source Derived(DuckDbConnection connection, string jsonl)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new List<(string Name, string Type)>();
        using (var reader = connection.Query(
                   $"DESCRIBE SELECT * FROM read_json({VaultViews.Literal(jsonl)}, format='newline_delimited', ignore_errors=true, sample_size=-1)"))
        {
            while (reader.Read())
            {
                var type = reader.GetString(1);
                columns.Add((reader.GetString(0), type switch
                {
                    "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "UBIGINT" or "UINTEGER" => "BIGINT",
                    "BOOLEAN" => "BOOLEAN",
                    _ => "VARCHAR",
                }));
            }
        }

        if (!columns.Any(c => c.Name == "minute"))
        {
            throw new InvalidDataException($"{jsonl} has no 'minute' column");
        }

        var spec = "{" + string.Join(", ", columns.Select(c => $"{VaultViews.Literal(c.Name)}: {VaultViews.Literal(c.Type)}")) + "}";
        var select = $"SELECT * FROM read_json({VaultViews.Literal(jsonl)}, format='newline_delimited', ignore_errors=true, columns={spec}) " +
                     "WHERE minute IS NOT NULL";
        return new Source(select, [.. columns.Select(c => c.Name)], "minute");
    }

    /// <summary>COPY the source to <paramref name="target"/> (Parquet, zstd), then fsync it.</summary>
    public static void Write(DuckDbConnection connection, Source source, string target)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        connection.Execute($"COPY ({source.Select}) TO {VaultViews.Literal(target)} (FORMAT parquet, COMPRESSION zstd)");
        using var stream = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Complete lines of a JSONL file, and whether it ends in a torn line.</summary>
    public static (long Lines, bool TornTail) CountLines(string jsonl)
    {
        using var reader = JsonlReader.Open(jsonl);
        long lines = 0;
        while (reader.TryReadLine(out _, out _))
        {
            lines++;
        }

        return (lines, reader.Offset < new FileInfo(jsonl).Length);
    }

    /// <summary>Rows the source yields (valid records only).</summary>
    public static long CountRows(DuckDbConnection connection, Source source)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        return connection.Scalar<long>($"SELECT count(*) FROM ({source.Select})");
    }

    /// <summary>
    /// Compares the Parquet file with the source: null when they hold the same rows (row count, key
    /// multiset, and per key a hash of every column), else the first difference in words.
    /// </summary>
    public static string? Verify(DuckDbConnection connection, Source source, string parquet, out long rows)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        var key = VaultViews.Quote(source.Key);
        var all = string.Join(", ", source.Columns.Select(VaultViews.Quote));
        var parquetSelect = $"SELECT {all} FROM read_parquet({VaultViews.Literal(parquet)})";
        connection.Execute("DROP TABLE IF EXISTS verify_source; DROP TABLE IF EXISTS verify_parquet");
        connection.Execute($"CREATE TEMP TABLE verify_source AS SELECT {key} AS k, hash({all}) AS h FROM ({source.Select})");
        connection.Execute($"CREATE TEMP TABLE verify_parquet AS SELECT {key} AS k, hash({all}) AS h FROM ({parquetSelect})");
        try
        {
            using var reader = connection.Query(
                "SELECT (SELECT count(*) FROM verify_source), (SELECT count(*) FROM verify_parquet), " +
                "(SELECT count(*) FROM (SELECT k FROM verify_source EXCEPT ALL SELECT k FROM verify_parquet)), " +
                "(SELECT count(*) FROM (SELECT k FROM verify_parquet EXCEPT ALL SELECT k FROM verify_source)), " +
                "(SELECT count(*) FROM (SELECT k, h FROM verify_source EXCEPT ALL SELECT k, h FROM verify_parquet))");
            reader.Read();
            var sourceRows = reader.GetInt64(0);
            var parquetRows = reader.GetInt64(1);
            rows = parquetRows;
            var c = CultureInfo.InvariantCulture;
            if (sourceRows != parquetRows)
            {
                return string.Create(c, $"row count differs: JSONL {sourceRows}, Parquet {parquetRows}");
            }

            if (reader.GetInt64(2) != 0 || reader.GetInt64(3) != 0)
            {
                return string.Create(c, $"{source.Key} set differs: {reader.GetInt64(2)} only in JSONL, {reader.GetInt64(3)} only in Parquet");
            }

            return reader.GetInt64(4) != 0 ? string.Create(c, $"content differs in {reader.GetInt64(4)} row(s)") : null;
        }
        finally
        {
            connection.Execute("DROP TABLE IF EXISTS verify_source; DROP TABLE IF EXISTS verify_parquet");
        }
    }
}
