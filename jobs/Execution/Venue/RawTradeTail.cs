using Pipeline.Jobs.Execution.Live;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// Follows the raw trade files of one instrument as the exporter appends them: from a <see cref="TradeCursor"/> (day,
/// byte offset) to the last complete line on disk, in file order, moving to the next day once its file exists. Unlike
/// <see cref="RawTradeRangeReader"/> (a pass up to a known horizon) it needs no end time, so a stop or a kill switch
/// acts on the newest trade, not on the last finished minute. Trades before <see cref="TradeCursor.ProcessedUntilTs"/>
/// are skipped (the start of a first run).
/// </summary>
internal sealed class RawTradeTail(VaultLayout vault, string exchange, string instId)
{
    private readonly byte[] _exchangeUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.Exchange(exchange));
    private readonly byte[] _instIdUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.InstId(instId));
    private readonly RawTradeParser _parser = new();

    public long SkippedLines { get; private set; }

    /// <summary>
    /// The newest trade time on disk (the largest ts among the last complete lines of the newest raw day file), or null
    /// when the instrument has no raw trade yet: the event time "now" of a first start.
    /// </summary>
    public long? NewestTs()
    {
        foreach (var day in vault.RawDays(exchange, instId).Reverse())
        {
            var path = vault.RawDayJsonl(exchange, instId, day);
            if (!File.Exists(path))
            {
                continue;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var start = Math.Max(0, stream.Length - 65_536);
            stream.Seek(start, SeekOrigin.Begin);
            var bytes = new byte[stream.Length - start];
            stream.ReadExactly(bytes);
            long? newest = null;
            var lineStart = start == 0 ? 0 : Array.IndexOf(bytes, (byte)'\n') + 1; // the first line may be cut
            for (var i = lineStart; i < bytes.Length; i++)
            {
                if (bytes[i] != (byte)'\n')
                {
                    continue;
                }

                if (_parser.TryParse(bytes.AsSpan(lineStart, i - lineStart), _exchangeUtf8, _instIdUtf8, out var raw, out _, out _))
                {
                    newest = Math.Max(newest ?? long.MinValue, raw!.Ts);
                }

                lineStart = i + 1;
            }

            if (newest is not null)
            {
                return newest;
            }
        }

        return null;
    }

    /// <summary>At most <paramref name="max"/> trades after <paramref name="cursor"/>; <paramref name="caughtUp"/> says whether every complete line on disk was read.</summary>
    public List<TradeTick> Read(ref TradeCursor cursor, int max, out bool caughtUp)
    {
        var trades = new List<TradeTick>();
        caughtUp = false;
        while (true)
        {
            var path = vault.RawDayJsonl(exchange, instId, cursor.Day);
            if (File.Exists(path))
            {
                using var reader = JsonlReader.Open(path, cursor.Offset);
                while (trades.Count < max && reader.TryReadLine(out var line, out var offset))
                {
                    if (!_parser.TryParse(line, _exchangeUtf8, _instIdUtf8, out var raw, out var error, out _))
                    {
                        SkippedLines++;
                        Log.Warning("Skipped raw line {Path}@{Offset}: {Reason}", path, offset, error);
                        continue;
                    }

                    if (raw!.Ts >= cursor.ProcessedUntilTs)
                    {
                        trades.Add(new TradeTick(raw.Ts, ExactDecimal.Parse(raw.Px), ExactDecimal.Parse(raw.QtyBase), raw.Side, raw.TradeId));
                    }
                }

                cursor = cursor with { Offset = reader.Offset };
                if (trades.Count >= max)
                {
                    return trades;
                }
            }

            var day = cursor.Day;
            var later = vault.RawDays(exchange, instId).Where(d => d > day).ToList();
            if (later.Count == 0)
            {
                caughtUp = true;
                return trades;
            }

            cursor = new TradeCursor(later[0], 0, cursor.ProcessedUntilTs);
        }
    }
}
