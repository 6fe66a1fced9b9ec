using System.Globalization;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance USD-M daily aggTrades archives (PROTOCOLS 2.5): {base}/data/futures/um/daily/aggTrades/{SYMBOL}/{SYMBOL}-aggTrades-{yyyy-MM-dd}.zip
/// over UTC days, verified against the sibling .CHECKSUM (SHA-256) before anything is read. The CSV
/// (agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker) has a header
/// or not (line 1 is a header when its first field is not numeric); booleans in any case.
/// </summary>
public sealed class BinanceArchive(BackfillOptions options, ArchiveDownloader downloader)
{
    /// <summary>data.binance.vision, the archive base when none is given.</summary>
    public const string DefaultBase = "https://data.binance.vision";

    private static readonly string[] Columns = ["agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time", "is_buyer_maker"];

    public static string FileName(string symbol, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{symbol}-aggTrades-{day:yyyy-MM-dd}.zip");

    public static string RelativeUrl(string symbol, DateOnly day) => $"data/futures/um/daily/aggTrades/{symbol}/{FileName(symbol, day)}";

    /// <summary>The day's aggTrades, after the checksum matched.</summary>
    /// <exception cref="ArchiveUnavailableException">no file for that day (yet)</exception>
    /// <exception cref="BackfillDayException">checksum mismatch, no checksum, corrupt or malformed file</exception>
    public async Task<List<TradeItem>> DayTradesAsync(string symbol, DateOnly day, long recvTs, CancellationToken token)
    {
        var name = FileName(symbol, day);
        var baseUrl = (options.ArchiveUrl?.AbsoluteUri ?? DefaultBase).TrimEnd('/') + "/" + RelativeUrl(symbol, day);
        var path = await downloader.DownloadAsync(new Uri(baseUrl), token);
        try
        {
            string checksum;
            try
            {
                checksum = await downloader.GetTextAsync(new Uri(baseUrl + ".CHECKSUM"), token);
            }
            catch (ArchiveUnavailableException ex)
            {
                throw new BackfillDayException($"{name}: no {name}.CHECKSUM published, the download cannot be verified", ex);
            }

            var expected = checksum.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            var actual = ArchiveCsv.Sha256(path);
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new BackfillDayException(
                    $"{name}: checksum mismatch (.CHECKSUM says {(expected.Length > 0 ? expected : "nothing")}, the download hashes to {actual})");
            }

            return Parse(path, name, recvTs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Parses an aggTrades zip, with or without a header row.</summary>
    public static List<TradeItem> Parse(string zipPath, string fileName, long recvTs)
    {
        var trades = new List<TradeItem>();
        int[] at = [0, 1, 2, 3, 4, 5, 6];
        ArchiveCsv.ReadLines(zipPath, fileName, (line, number) =>
        {
            var fields = line.Split(',');
            if (number == 1 && (fields[0].Length == 0 || !char.IsAsciiDigit(fields[0].TrimStart('\uFEFF')[0])))
            {
                for (var c = 0; c < Columns.Length; c++)
                {
                    at[c] = Array.FindIndex(fields, f => string.Equals(f.Trim().Trim('\uFEFF'), Columns[c], StringComparison.OrdinalIgnoreCase));
                    if (at[c] < 0)
                    {
                        throw ArchiveCsv.Bad(fileName, number, $"header '{line}' lacks {Columns[c]}");
                    }
                }

                return;
            }

            if (fields.Length < Columns.Length)
            {
                throw ArchiveCsv.Bad(fileName, number, $"{fields.Length} fields, expected {Columns.Length}");
            }

            var maker = fields[at[6]];
            var item = new TradeItem
            {
                Kind = TradeItemKind.Trade,
                Src = TradeSource.Archive,
                Id = ArchiveCsv.Long(fields[at[0]], fileName, number, "agg_trade_id"),
                FirstId = ArchiveCsv.Long(fields[at[3]], fileName, number, "first_trade_id"),
                LastId = ArchiveCsv.Long(fields[at[4]], fileName, number, "last_trade_id"),
                Ts = ArchiveCsv.Long(fields[at[5]], fileName, number, "transact_time"),
                RecvTs = recvTs,
                // Buyer is maker ⇒ the taker sold.
                Sell = string.Equals(maker, "true", StringComparison.OrdinalIgnoreCase)
                    || (!string.Equals(maker, "false", StringComparison.OrdinalIgnoreCase)
                        ? throw ArchiveCsv.Bad(fileName, number, $"is_buyer_maker '{maker}' is not true or false")
                        : false),
            };
            ArchiveCsv.PxSz(ref item, fields[at[1]], fields[at[2]], fileName, number);
            trades.Add(item);
        });
        return trades;
    }
}
