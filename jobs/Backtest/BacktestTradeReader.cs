using System.Text;
using Pipeline.Calculators.Raw;
using Pipeline.Jobs.Execution;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// The raw trades of one instrument with ts in [from, until), in event-time order, from JSONL or
/// compacted Parquet days alike (Parquet wins when both exist): the same stream the live executor
/// reads (a day out of ts order is stably sorted by ts, file order breaking ties). Lines that are not
/// trades are counted in <see cref="BadLines"/> and skipped.
/// </summary>
public sealed class BacktestTradeReader(VaultLayout vault, string exchange, string instId)
{
    private readonly byte[] _exchangeUtf8 = Encoding.ASCII.GetBytes(VaultNames.Exchange(exchange));
    private readonly byte[] _instIdUtf8 = Encoding.ASCII.GetBytes(VaultNames.InstId(instId));

    /// <summary>Trades yielded by <see cref="Read"/>.</summary>
    public long TradesRead { get; private set; }

    public long BadLines { get; private set; }

    /// <summary>Every trade of one day in event-time order (empty when the day has no file).</summary>
    public List<TradeTick> ReadDay(DateOnly day, CancellationToken token = default)
    {
        var parquet = vault.RawDayParquet(exchange, instId, day);
        var jsonl = vault.RawDayJsonl(exchange, instId, day);
        var trades = File.Exists(parquet) ? ReadParquet(parquet, token)
            : File.Exists(jsonl) ? ReadJsonl(jsonl, token)
            : [];
        for (var i = 1; i < trades.Count; i++)
        {
            if (trades[i].Ts < trades[i - 1].Ts)
            {
                return [.. trades.OrderBy(t => t.Ts)]; // OrderBy is stable: file order breaks ties
            }
        }

        return trades;
    }

    /// <summary>The trades with ts in [from, until), day by day.</summary>
    public IEnumerable<TradeTick> Read(long fromTs, long untilTs, CancellationToken token = default)
    {
        if (untilTs <= fromTs)
        {
            yield break;
        }

        for (var day = TradeTime.Day(fromTs); day <= TradeTime.Day(untilTs - 1); day = day.AddDays(1))
        {
            foreach (var trade in ReadDay(day, token))
            {
                if (trade.Ts >= fromTs && trade.Ts < untilTs)
                {
                    TradesRead++;
                    yield return trade;
                }
            }
        }
    }

    private List<TradeTick> ReadJsonl(string path, CancellationToken token)
    {
        var trades = new List<TradeTick>(1 << 16);
        using var reader = JsonlReader.Open(path);
        var n = 0;
        while (reader.TryReadLine(out var line, out _))
        {
            if ((++n & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            if (RawLineScanner.Scan(line, _exchangeUtf8, _instIdUtf8, out var f) != RawLineError.None) // the calculators' rule
            {
                BadLines++;
                continue;
            }

            trades.Add(new TradeTick(f.Ts, f.Px, f.QtyBase, f.IsBuy ? "buy" : "sell", Encoding.UTF8.GetString(f.TradeId)));
        }

        return trades;
    }

    private List<TradeTick> ReadParquet(string path, CancellationToken token)
    {
        var trades = new List<TradeTick>(1 << 16);
        using var db = DuckDbConnection.OpenInMemory();
        using var rows = db.Scan(
            "SELECT ts, px, qtyBase, side, tradeId FROM read_parquet(?, file_row_number = true) ORDER BY file_row_number", path);
        var n = 0;
        while (rows.Read())
        {
            if ((++n & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            if (rows.IsNull(0) || rows.IsNull(1) || rows.IsNull(2) || rows.IsNull(3) || rows.IsNull(4)
                || !RawTradeRules.TryAmount(rows.GetUtf8(1), out var px)
                || !RawTradeRules.TryAmount(rows.GetUtf8(2), out var qty))
            {
                BadLines++;
                continue;
            }

            var side = rows.GetUtf8(3);
            var buy = side.SequenceEqual("buy"u8);
            if (!buy && !side.SequenceEqual("sell"u8))
            {
                BadLines++;
                continue;
            }

            trades.Add(new TradeTick(rows.GetInt64(0), px, qty, buy ? "buy" : "sell", Encoding.UTF8.GetString(rows.GetUtf8(4))));
        }

        return trades;
    }
}
