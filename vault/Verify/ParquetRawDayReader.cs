using System.Buffers.Text;
using System.Text;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Compacted raw days (<c>{day}.parquet</c>, written by <see cref="Compaction.ParquetDay"/>): only the five
/// columns verification needs, streamed chunk by chunk through DuckDB in file order. Nothing is held per
/// row and nothing is allocated per row (ids are parsed from the VARCHAR bytes; exchange and instId reuse
/// the previous row's string when equal). A problem's offset is the row number. A file DuckDB cannot
/// read (corrupt, missing columns) is one unparsable problem, not a crash of the whole verification.
/// </summary>
public sealed class ParquetRawDayReader : IRawDayReader
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["autoinstall_known_extensions"] = "false",
        ["autoload_known_extensions"] = "false",
    };

    public bool CanRead(string path) => path.EndsWith(".parquet", StringComparison.Ordinal);

    public void Read(string path, Action<VerifyRow> onRow, Action<VerifyProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        ArgumentNullException.ThrowIfNull(onProblem);
        long row = 0;
        try
        {
            using var connection = DuckDbConnection.OpenInMemory(Settings);
            using var reader = connection.Query(
                $"SELECT tradeId, ts, \"count\", exchange, instId FROM read_parquet({VaultViews.Literal(path)})");
            var exchange = new CachedText();
            var instId = new CachedText();
            for (; reader.Read(); row++)
            {
                if (reader.IsNull(0) || reader.IsNull(1) || reader.IsNull(3) || reader.IsNull(4))
                {
                    onProblem(new VerifyProblem(false, row, "tradeId, ts, exchange or instId is null"));
                    continue;
                }

                var idText = reader.GetUtf8(0);
                if (!Utf8Parser.TryParse(idText, out long id, out var used) || used != idText.Length || idText[0] is (byte)'-' or (byte)'+')
                {
                    onProblem(new VerifyProblem(false, row, "tradeId is not numeric"));
                    continue;
                }

                var count = reader.IsNull(2) ? 0 : reader.GetInt64(2);
                onRow(new VerifyRow(id, reader.GetInt64(1), (int)Math.Clamp(count, 0, int.MaxValue),
                    exchange.Get(reader.GetUtf8(3)), instId.Get(reader.GetUtf8(4))));
            }
        }
        catch (DuckDbException ex)
        {
            onProblem(new VerifyProblem(false, row, "unreadable Parquet: " + ex.Message.Split('\n', 2)[0]));
        }
    }

    /// <summary>The last decoded string, reused while the bytes stay the same (a day file holds one instrument).</summary>
    private sealed class CachedText
    {
        private byte[] _bytes = [];
        private string _text = "";

        public string Get(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.SequenceEqual(_bytes))
            {
                _bytes = bytes.ToArray();
                _text = Encoding.UTF8.GetString(bytes);
            }

            return _text;
        }
    }
}
