using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// Yields the raw trades of one instrument with ts in [from, until), in event-time order, day file
/// by day file from a <see cref="TradeCursor"/>. A day's trades in range are loaded and, if the file
/// is not already in ts order (a gap fill appends older trades), stably sorted by ts; so memory is
/// bounded by one day. After enumeration <see cref="NextCursor"/> says where the next pass starts.
/// </summary>
public sealed class RawTradeRangeReader(VaultLayout vault, string exchange, string instId)
{
    private readonly byte[] _exchangeUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.Exchange(exchange));
    private readonly byte[] _instIdUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.InstId(instId));

    /// <summary>Unparsable raw lines met (also logged); they are skipped.</summary>
    public List<LineIssue> Issues { get; } = [];

    public TradeCursor? NextCursor { get; private set; }

    public long TradesRead { get; private set; }

    public IEnumerable<TradeTick> Read(TradeCursor? cursor, long fromTs, long untilTs)
    {
        var from = Math.Max(fromTs, cursor?.ProcessedUntilTs ?? long.MinValue);
        if (untilTs <= from)
        {
            NextCursor = cursor;
            yield break;
        }

        var firstDay = cursor?.Day ?? TradeTime.Day(from);
        var lastDay = TradeTime.Day(untilTs - 1);
        NextCursor = cursor;
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (TradeTime.DayStartMs(day.AddDays(1)) <= from)
            {
                continue; // read to its end already: never reopened, so a compacted day is no obstacle
            }

            var path = vault.RawDayJsonl(exchange, instId, day);
            var startOffset = cursor is not null && day == cursor.Day ? cursor.Offset : 0;
            if (!File.Exists(path))
            {
                if (File.Exists(vault.RawDayParquet(exchange, instId, day)))
                {
                    throw new InvalidOperationException(
                        $"raw trades of {exchange}/{instId} {day:yyyy-MM-dd} are compacted to Parquet; the live executor reads JSONL — replay that day with `pipeline backtest`");
                }

                NextCursor = new TradeCursor(day, 0, untilTs);
                continue;
            }

            var trades = new List<TradeTick>();
            var parser = new RawTradeParser();
            long? firstBeyond = null;
            var sorted = true;
            long endOffset;
            using (var reader = JsonlReader.Open(path, startOffset))
            {
                while (reader.TryReadLine(out var line, out var offset))
                {
                    // RawTradeRules decide (as for the calculators and verify): a bad or foreign line is one issue, never the end.
                    if (!parser.TryParse(line, _exchangeUtf8, _instIdUtf8, out var raw, out var error, out _))
                    {
                        Issues.Add(new LineIssue(path, offset, error!));
                        Log.Warning("Skipped raw line {Path}@{Offset}: {Reason}", path, offset, error);
                        continue;
                    }

                    if (raw!.Ts >= untilTs)
                    {
                        firstBeyond ??= offset;
                        continue;
                    }

                    if (raw.Ts < from)
                    {
                        continue;
                    }

                    var tick = new TradeTick(raw.Ts, ExactDecimal.Parse(raw.Px), ExactDecimal.Parse(raw.QtyBase), raw.Side, raw.TradeId);
                    if (trades.Count > 0 && tick.Ts < trades[^1].Ts)
                    {
                        sorted = false;
                    }

                    trades.Add(tick);
                }

                endOffset = reader.Offset;
            }

            NextCursor = new TradeCursor(day, firstBeyond ?? endOffset, untilTs);
            TradesRead += trades.Count;
            IEnumerable<TradeTick> ordered = sorted ? trades : trades.OrderBy(t => t.Ts); // OrderBy is stable: file order breaks ties
            foreach (var trade in ordered)
            {
                yield return trade;
            }
        }
    }
}
