using System.Globalization;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>A temporary vault with helpers that write real raw and derived files.</summary>
public sealed class TestVault : IDisposable
{
    private readonly TempDir _dir = new();

    public TestVault() => Layout = new VaultLayout(Path.Combine(_dir.Path, "vault"));

    public VaultLayout Layout { get; }

    public static RawTrade Trade(string exchange, string instId, long tradeId, long ts, string px, string sz, string qtyBase,
        long? firstId = null, long? lastId = null) => new()
        {
            Exchange = exchange,
            InstId = instId,
            TradeId = tradeId.ToString(CultureInfo.InvariantCulture),
            Ts = ts,
            Px = px,
            Sz = sz,
            Side = tradeId % 2 == 0 ? "buy" : "sell",
            CtVal = exchange == "okx" ? "0.01" : "1",
            CtMult = "1",
            CtType = "linear",
            CtValCcy = "BTC",
            QtyBase = qtyBase,
            RecvTs = ts + 27,
            Src = "ws",
            FirstId = firstId,
            LastId = lastId,
        };

    /// <summary>Appends the trades to their day files through the real appender; returns the paths written.</summary>
    public IReadOnlyList<string> WriteTrades(params RawTrade[] trades)
    {
        var paths = new List<string>();
        foreach (var group in trades.GroupBy(t => Layout.RawDayJsonl(t.Exchange, t.InstId, t.Day)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(group.Key)!);
            using var appender = JsonlAppender.Open(group.Key);
            foreach (var trade in group)
            {
                RawTradeWriter.Write(appender, trade);
                appender.EndLine();
            }

            appender.Sync();
            paths.Add(group.Key);
        }

        return paths;
    }

    /// <summary>Writes JSON lines as they are (for derived outputs, ledgers, and bad lines).</summary>
    public static void WriteLines(string path, params string[] lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var appender = JsonlAppender.Open(path);
        foreach (var line in lines)
        {
            appender.AppendLine(System.Text.Encoding.UTF8.GetBytes(line));
        }

        appender.Sync();
    }

    /// <summary>Compacts a raw JSONL day to Parquet with DuckDB COPY (zstd), then removes the JSONL.</summary>
    public void CompactDay(string exchange, string instId, DateOnly day, bool keepJsonl = false)
    {
        var jsonl = Layout.RawDayJsonl(exchange, instId, day);
        var parquet = Layout.RawDayParquet(exchange, instId, day);
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute($"COPY ({VaultViews.RawTradesSelect(jsonl)}) TO {VaultViews.Literal(parquet)} (FORMAT parquet, COMPRESSION zstd)");
        if (!keepJsonl)
        {
            File.Delete(jsonl);
        }
    }

    public void Dispose() => _dir.Dispose();
}
