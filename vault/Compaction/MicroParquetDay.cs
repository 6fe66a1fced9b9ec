using System.Globalization;
using System.Text;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Compaction;

/// <summary>
/// Compaction of a microstructure day (quotes, book, liquidations, derivatives): every line must be a valid record of
/// its kind (else the day stays JSONL, nothing lost); the Parquet holds the line's fields in their stored types (decimals
/// as the exchange's text, a book's sides as the JSON text of their levels), in line order; and it is proven line by
/// line, in order (order is the book's meaning): each Parquet row read back as its line must be the same record as the
/// JSONL line at the same position, and the counts must match.
/// </summary>
public static class MicroParquetDay
{
    /// <summary>The SELECT over the JSONL day that COPY writes (fixed columns; nothing sampled).</summary>
    public static ParquetDay.Source Source(MicroKind kind, string jsonl) =>
        new($"SELECT * FROM read_json({VaultViews.Literal(jsonl)}, format='newline_delimited', ignore_errors=true, " +
            $"columns={MicroDayFiles.ColumnSpec(kind)}) WHERE ts IS NOT NULL",
            [.. MicroDayFiles.Columns(kind).Select(c => c.Name)], "ts");

    /// <summary>Complete lines that are not records of <paramref name="kind"/>, and the first one's offset and reason.</summary>
    public static long InvalidLines(MicroKind kind, string jsonl, out string? first)
    {
        long invalid = 0;
        string? found = null;
        using var reader = JsonlReader.Open(jsonl);
        while (reader.TryReadLine(out var line, out var offset))
        {
            if (Parse(kind, Encoding.UTF8.GetString(line), out var error) is null)
            {
                invalid++;
                found ??= string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(jsonl)}@{offset}: {error}");
            }
        }

        first = found;
        return invalid;
    }

    /// <summary>Null when <paramref name="parquet"/> holds exactly the JSONL's records in the same order, else the first difference.</summary>
    public static string? VerifyInOrder(DuckDbConnection connection, MicroKind kind, string jsonl, string parquet, out long rows)
    {
        ArgumentNullException.ThrowIfNull(connection);
        rows = 0;
        using var lines = JsonlReader.Open(jsonl);
        using var stored = connection.Query(MicroDayFiles.ParquetLinesSql(parquet, kind));
        long index = 0;
        while (true)
        {
            var hasLine = lines.TryReadLine(out var line, out var offset);
            var hasRow = stored.Read();
            if (!hasLine || !hasRow)
            {
                rows = index + (hasRow ? 1 : 0);
                return hasLine == hasRow ? null
                    : string.Create(CultureInfo.InvariantCulture, $"row count differs: {(hasLine ? "the JSONL has more lines than the Parquet's" : "the Parquet has more rows than the JSONL's")} {index}");
            }

            var expected = Parse(kind, Encoding.UTF8.GetString(line), out _);
            var actual = Parse(kind, stored.GetString(0), out var error);
            if (expected is null || actual is null || MicroLineWriter.ToLine(expected) != MicroLineWriter.ToLine(actual))
            {
                return string.Create(CultureInfo.InvariantCulture, $"line {index} (JSONL offset {offset}) differs in the Parquet{(error is null ? "" : ": " + error)}");
            }

            index++;
        }
    }

    private static object? Parse(MicroKind kind, string line, out string? error) => kind switch
    {
        MicroKind.Quotes => MicroLineReader.Quote(line, out error),
        MicroKind.Book => MicroLineReader.Book(line, out error),
        MicroKind.Liquidations => MicroLineReader.Liquidation(line, out error),
        _ => MicroLineReader.Derivatives(line, out error),
    };
}
