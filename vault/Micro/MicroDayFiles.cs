using System.Text;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;

namespace Pipeline.Vault.Micro;

/// <summary>
/// Reading a microstructure day (<c>raw/{exchange}/{kind}_perps/{instId}/{day}</c>) in whichever form it is stored:
/// JSONL as written, or the Parquet compaction made of it (which wins when both exist, as for trades). Either form is
/// read as the same lines: a Parquet row comes back as the JSON line it was compacted from (same fields, same exact
/// strings; key order aside), so every reader (book reconstruction, verify) parses one format.
/// </summary>
public static class MicroDayFiles
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["autoinstall_known_extensions"] = "false",
        ["autoload_known_extensions"] = "false",
    };

    /// <summary>The stored columns of each kind, in line order, as <c>read_json</c> reads them (levels as their JSON text).</summary>
    public static IReadOnlyList<(string Name, string Type)> Columns(MicroKind kind) => kind switch
    {
        MicroKind.Quotes =>
        [
            ("exchange", "VARCHAR"), ("instId", "VARCHAR"), ("ts", "BIGINT"), ("seq", "BIGINT"), ("bidPx", "VARCHAR"), ("bidSz", "VARCHAR"),
            ("askPx", "VARCHAR"), ("askSz", "VARCHAR"), ("recvTs", "BIGINT"), ("src", "VARCHAR"),
        ],
        MicroKind.Book =>
        [
            ("exchange", "VARCHAR"), ("instId", "VARCHAR"), ("type", "VARCHAR"), ("ts", "BIGINT"), ("seq", "BIGINT"), ("prevSeq", "BIGINT"),
            ("firstSeq", "BIGINT"), ("bids", "VARCHAR"), ("asks", "VARCHAR"), ("checksum", "BIGINT"), ("reason", "VARCHAR"),
            ("recvTs", "BIGINT"), ("src", "VARCHAR"),
        ],
        MicroKind.Liquidations =>
        [
            ("exchange", "VARCHAR"), ("instId", "VARCHAR"), ("ts", "BIGINT"), ("side", "VARCHAR"), ("px", "VARCHAR"), ("sz", "VARCHAR"),
            ("avgPx", "VARCHAR"), ("filledSz", "VARCHAR"), ("status", "VARCHAR"), ("posSide", "VARCHAR"), ("bkLoss", "VARCHAR"),
            ("recvTs", "BIGINT"), ("src", "VARCHAR"),
        ],
        MicroKind.Derivatives =>
        [
            ("exchange", "VARCHAR"), ("instId", "VARCHAR"), ("ts", "BIGINT"), ("channel", "VARCHAR"), ("markPx", "VARCHAR"),
            ("indexPx", "VARCHAR"), ("fundingRate", "VARCHAR"), ("nextFundingTime", "BIGINT"), ("openInterest", "VARCHAR"),
            ("openInterestCcy", "VARCHAR"), ("recvTs", "BIGINT"), ("src", "VARCHAR"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
    };

    /// <summary>The columns of <see cref="Columns"/> that hold a list of levels (stored as the JSON text of the array).</summary>
    public static bool IsLevels(string column) => column is "bids" or "asks";

    /// <summary>{name:'TYPE', ...} for <c>read_json(..., columns=...)</c>.</summary>
    public static string ColumnSpec(MicroKind kind) =>
        "{" + string.Join(", ", Columns(kind).Select(c => $"{VaultViews.Literal(c.Name)}: {VaultViews.Literal(c.Type)}")) + "}";

    /// <summary>Days on disk for one kind and instrument (JSONL or Parquet), ascending.</summary>
    public static IReadOnlyList<DateOnly> Days(VaultLayout vault, MicroKind kind, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return VaultLayout.ListDays(vault.MicroInstrumentDir(kind, exchange, instId));
    }

    /// <summary>Instruments with a folder of this kind for one exchange, sorted.</summary>
    public static IReadOnlyList<string> Instruments(VaultLayout vault, MicroKind kind, string exchange)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var dir = vault.MicroExchangeDir(kind, exchange);
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(VaultNames.IsInstId).Order(StringComparer.Ordinal)]
            : [];
    }

    public static string ParquetPath(VaultLayout vault, MicroKind kind, string exchange, string instId, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return Path.ChangeExtension(vault.MicroDayJsonl(kind, exchange, instId, day), ".parquet");
    }

    /// <summary>The file to read for a day: its Parquet when there is one, else its JSONL, else null.</summary>
    public static string? DayPath(VaultLayout vault, MicroKind kind, string exchange, string instId, DateOnly day)
    {
        var parquet = ParquetPath(vault, kind, exchange, instId, day);
        if (File.Exists(parquet))
        {
            return parquet;
        }

        var jsonl = vault.MicroDayJsonl(kind, exchange, instId, day);
        return File.Exists(jsonl) ? jsonl : null;
    }

    /// <summary>
    /// Calls <paramref name="onLine"/> for every complete line from <paramref name="fromOffset"/> on (JSONL: byte
    /// offset; Parquet: row number) until it returns false; returns true when the JSONL ends in a torn line
    /// (a tail without '\n', which is not a line). A Parquet file DuckDB cannot read throws <see cref="DuckDbException"/>.
    /// </summary>
    public static bool ForEachLine(string path, MicroKind kind, Func<ReadOnlySpan<byte>, long, bool> onLine, long fromOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(onLine);
        if (path.EndsWith(".parquet", StringComparison.Ordinal))
        {
            ForEachParquetLine(path, kind, onLine, fromOffset);
            return false;
        }

        using var reader = JsonlReader.Open(path, fromOffset);
        while (reader.TryReadLine(out var line, out var offset))
        {
            if (!onLine(line, offset))
            {
                return false;
            }
        }

        return reader.Offset < new FileInfo(path).Length;
    }

    /// <summary>SQL yielding each Parquet row as its JSON line (column <c>line</c>) and row number (<c>row</c>), in file order.</summary>
    public static string ParquetLinesSql(string parquet, MicroKind kind, long fromRow = 0) =>
        "SELECT to_json(struct_pack(" +
        string.Join(", ", Columns(kind).Select(c => $"{VaultViews.Quote(c.Name)} := {(IsLevels(c.Name) ? VaultViews.Quote(c.Name) + "::JSON" : VaultViews.Quote(c.Name))}")) +
        $"))::VARCHAR AS line, file_row_number AS row FROM read_parquet({VaultViews.Literal(parquet)}, file_row_number=true)" +
        (fromRow > 0 ? $" WHERE file_row_number >= {fromRow}" : "") + " ORDER BY file_row_number";

    private static void ForEachParquetLine(string path, MicroKind kind, Func<ReadOnlySpan<byte>, long, bool> onLine, long fromRow)
    {
        using var connection = DuckDbConnection.OpenInMemory(Settings);
        using var reader = connection.Query(ParquetLinesSql(path, kind, fromRow));
        while (reader.Read())
        {
            if (!onLine(Encoding.UTF8.GetBytes(reader.GetString(0)), reader.GetInt64(1)))
            {
                return;
            }
        }
    }
}
