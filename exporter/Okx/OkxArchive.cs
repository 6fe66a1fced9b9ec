using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX daily trade archives (PROTOCOLS 1.10): one zip per UTC+8 day (file D holds D-1 16:00 UTC to
/// D 15:59:59.999 UTC), found through /api/v5/public/market-data-history (its url values) or built from
/// the documented pattern under an archive base. The CSV is read by header name, current
/// (instrument_name,trade_id,side,price,size,created_time,source) or legacy bilingual
/// (trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间: names cut at '/').
/// </summary>
public sealed class OkxArchive(BackfillOptions options, ExchangeRestClient rest, ArchiveDownloader downloader)
{
    /// <summary>OKX archive dates are UTC+8 calendar days.</summary>
    public const long DayOffsetMs = -8 * 3_600_000L;

    private readonly Dictionary<(string InstId, DateOnly Date), Uri> _listed = [];
    private readonly HashSet<(string InstId, DateOnly Date)> _queried = [];

    /// <summary>[start, end) in UTC ms of the archive file dated <paramref name="date"/>.</summary>
    public static (long StartMs, long EndMs) FileRange(DateOnly date)
    {
        var start = TradeTime.DayStartMs(date) + DayOffsetMs;
        return (start, start + TradeTime.MsPerDay);
    }

    public static string FileName(string instId, DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{instId}-trades-{date:yyyy-MM-dd}.zip");

    public static string RelativeUrl(string instId, DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"cdn/okex/traderecords/trades/daily/{date:yyyyMMdd}/{FileName(instId, date)}");

    /// <summary>The instrument family market-data-history filters on (BTC-USDT-SWAP → BTC-USDT).</summary>
    public static string Family(string instId) => instId.EndsWith("-SWAP", StringComparison.Ordinal) ? instId[..^5] : instId;

    /// <summary>Every trade of one archive file (whatever UTC day it falls in).</summary>
    /// <exception cref="ArchiveUnavailableException">the file does not exist (yet)</exception>
    public async Task<List<TradeItem>> FileTradesAsync(string instId, DateOnly date, long recvTs, CancellationToken token)
    {
        var url = await UrlAsync(instId, date, token);
        var path = await downloader.DownloadAsync(url, token);
        try
        {
            return Parse(path, FileName(instId, date), instId, recvTs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<Uri> UrlAsync(string instId, DateOnly date, CancellationToken token)
    {
        if (options.ArchiveUrl is { } archive)
        {
            return new Uri(archive.AbsoluteUri.TrimEnd('/') + "/" + RelativeUrl(instId, date));
        }

        if (!_queried.Contains((instId, date)))
        {
            await DiscoverAsync(instId, date, token);
        }

        return _listed.TryGetValue((instId, date), out var url)
            ? url
            : throw new ArchiveUnavailableException($"OKX market-data-history lists no file {FileName(instId, date)} (archives appear about T+2)");
    }

    /// <summary>One query for up to 20 file dates from <paramref name="first"/> (the endpoint's limit for daily data).</summary>
    private async Task DiscoverAsync(string instId, DateOnly first, CancellationToken token)
    {
        var last = first.AddDays(19);
        var lastNeeded = options.To.AddDays(1);
        if (last > lastNeeded)
        {
            last = lastNeeded < first ? first : lastNeeded;
        }

        // begin/end are read as UTC+8 dates: pass each date's UTC+8 midnight.
        var begin = FileRange(first).StartMs;
        var end = FileRange(last).StartMs;
        var url = new Uri(options.EffectiveRestUrl, string.Create(CultureInfo.InvariantCulture,
            $"/api/v5/public/market-data-history?module=1&instType=SWAP&instFamilyList={Uri.EscapeDataString(Family(instId))}&dateAggrType=daily&begin={begin}&end={end}"));
        var body = await rest.GetAsync(url, token);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("code", out var code) || code.ToString() != "0")
        {
            throw new RestRequestException($"OKX market-data-history {url}: {body.Length} bytes, code {(root.TryGetProperty("code", out var c) ? c.ToString() : "(none)")}");
        }

        var prefix = instId + "-trades-";
        foreach (var group in root.GetProperty("data").EnumerateArray())
        {
            if (!group.TryGetProperty("details", out var details))
            {
                continue;
            }

            foreach (var detail in details.EnumerateArray())
            {
                if (!detail.TryGetProperty("groupDetails", out var files))
                {
                    continue;
                }

                foreach (var file in files.EnumerateArray())
                {
                    var name = file.TryGetProperty("filename", out var f) ? f.GetString() ?? string.Empty : string.Empty;
                    var link = file.TryGetProperty("url", out var u) ? u.GetString() : null;
                    if (link is not null && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".zip", StringComparison.Ordinal)
                        && DateOnly.TryParseExact(name[prefix.Length..^4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                        && Uri.TryCreate(link, UriKind.Absolute, out var uri))
                    {
                        _listed[(instId, date)] = uri;
                    }
                }
            }
        }

        for (var d = first; d <= last; d = d.AddDays(1))
        {
            _queried.Add((instId, d));
        }
    }

    /// <summary>Parses an archive zip (either header format).</summary>
    public static List<TradeItem> Parse(string zipPath, string fileName, string instId, long recvTs)
    {
        var trades = new List<TradeItem>();
        int inst = -1, id = -1, side = -1, price = -1, size = -1, time = -1, columns = 0;
        ArchiveCsv.ReadLines(zipPath, fileName, (line, number) =>
        {
            var fields = line.Split(',');
            if (id < 0)
            {
                for (var i = 0; i < fields.Length; i++)
                {
                    var name = fields[i];
                    var cut = name.IndexOf('/', StringComparison.Ordinal);
                    switch ((cut >= 0 ? name[..cut] : name).Trim().Trim('\uFEFF').ToLowerInvariant())
                    {
                        case "instrument_name": inst = i; break;
                        case "trade_id": id = i; break;
                        case "side": side = i; break;
                        case "price": price = i; break;
                        case "size": size = i; break;
                        case "created_time": time = i; break;
                        default: break;
                    }
                }

                if (id < 0 || side < 0 || price < 0 || size < 0 || time < 0)
                {
                    throw ArchiveCsv.Bad(fileName, number, $"header '{line}' lacks trade_id, side, price, size or created_time");
                }

                columns = fields.Length;
                return;
            }

            if (fields.Length < columns)
            {
                throw ArchiveCsv.Bad(fileName, number, $"{fields.Length} fields, the header has {columns}");
            }

            if (inst >= 0 && fields[inst] != instId)
            {
                throw ArchiveCsv.Bad(fileName, number, $"instrument_name '{fields[inst]}' is not {instId}");
            }

            var item = new TradeItem
            {
                Kind = TradeItemKind.Trade,
                Src = TradeSource.Archive,
                Id = ArchiveCsv.Long(fields[id], fileName, number, "trade_id"),
                Ts = ArchiveCsv.Long(fields[time], fileName, number, "created_time"),
                RecvTs = recvTs,
                FirstId = -1,
                LastId = -1,
                Sell = fields[side].ToLowerInvariant() switch
                {
                    "sell" => true,
                    "buy" => false,
                    _ => throw ArchiveCsv.Bad(fileName, number, $"side '{fields[side]}' is not buy or sell"),
                },
            };
            ArchiveCsv.PxSz(ref item, fields[price], fields[size], fileName, number);
            trades.Add(item);
        });
        if (id < 0)
        {
            throw new BackfillDayException($"{fileName}: empty CSV (no header)");
        }

        return trades;
    }
}
