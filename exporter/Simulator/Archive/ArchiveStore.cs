using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Archive;

/// <summary>
/// Daily archive files built on demand from the generator (into a private temp directory, once each):
/// OKX trade zips over UTC+8 days (current or legacy bilingual header) and Binance USD-M aggTrades zips
/// over UTC days with a SHA-256 .CHECKSUM. A day exists once its last millisecond is in the past.
/// </summary>
public sealed class ArchiveStore : IDisposable
{
    public const string OkxHeader = "instrument_name,trade_id,side,price,size,created_time,source";
    public const string OkxLegacyHeader = "trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间";
    public const string BinanceHeader = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker";

    /// <summary>OKX archive days are UTC+8 calendar days.</summary>
    public const long OkxDayOffsetMs = -8 * 3_600_000L;

    private readonly string _dir;
    private readonly IReadOnlyCollection<string> _legacy;
    private readonly ConcurrentDictionary<string, Lazy<string>> _built = new(StringComparer.Ordinal);

    public ArchiveStore(IReadOnlyCollection<string> okxLegacyInstruments)
    {
        _legacy = okxLegacyInstruments;
        _dir = Path.Combine(Path.GetTempPath(), "pipeline-sim", Guid.NewGuid().ToString("N"));
    }

    /// <summary>[start, end) of an OKX archive date: D-1 16:00 UTC to D 16:00 UTC.</summary>
    public static (long StartMs, long EndMs) OkxDayRange(DateOnly date)
    {
        var start = Pipeline.Vault.Trades.TradeTime.DayStartMs(date) + OkxDayOffsetMs;
        return (start, start + Pipeline.Vault.Trades.TradeTime.MsPerDay);
    }

    public static (long StartMs, long EndMs) UtcDayRange(DateOnly date)
    {
        var start = Pipeline.Vault.Trades.TradeTime.DayStartMs(date);
        return (start, start + Pipeline.Vault.Trades.TradeTime.MsPerDay);
    }

    public static string OkxFileName(string instId, DateOnly date) => $"{instId}-trades-{date:yyyy-MM-dd}.zip";

    public static string OkxRelativeUrl(string instId, DateOnly date) =>
        $"/cdn/okex/traderecords/trades/daily/{date:yyyyMMdd}/{OkxFileName(instId, date)}";

    public static string BinanceFileName(string symbol, DateOnly date) => $"{symbol}-aggTrades-{date:yyyy-MM-dd}.zip";

    public static string BinanceRelativeUrl(string symbol, DateOnly date) =>
        $"/data/futures/um/daily/aggTrades/{symbol}/{BinanceFileName(symbol, date)}";

    public bool IsLegacy(string instId) => _legacy.Contains("*") || _legacy.Contains(instId);

    /// <summary>The zip of an OKX instrument's UTC+8 day (built once).</summary>
    public string OkxZip(MarketGenerator market, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(market);
        var name = OkxFileName(market.Instrument.InstId, date);
        return Build("okx/" + name, path => WriteOkx(market, date, path));
    }

    /// <summary>The zip of a Binance symbol's UTC day (built once).</summary>
    public string BinanceZip(MarketGenerator market, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(market);
        var name = BinanceFileName(market.Instrument.InstId, date);
        return Build("binance/" + name, path => WriteBinance(market, date, path));
    }

    /// <summary>The .CHECKSUM text of a Binance zip: "&lt;sha256 hex&gt;  &lt;filename&gt;\n".</summary>
    public string BinanceChecksum(MarketGenerator market, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(market);
        var zip = BinanceZip(market, date);
        using var stream = File.OpenRead(zip);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return $"{hash}  {BinanceFileName(market.Instrument.InstId, date)}\n";
    }

    /// <summary>Sends a zip, or (fault hook) a copy with one byte in the middle flipped.</summary>
    public static async Task SendAsync(Microsoft.AspNetCore.Http.HttpContext http, string path, bool corrupt)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.ContentType = "application/zip";
        if (!corrupt)
        {
            await Microsoft.AspNetCore.Http.SendFileResponseExtensions.SendFileAsync(http.Response, path, http.RequestAborted);
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path, http.RequestAborted);
        bytes[bytes.Length / 2] ^= 0x5A;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: a download may still hold a file open
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }

    private string Build(string key, Action<string> write)
    {
        var lazy = _built.GetOrAdd(key, k => new Lazy<string>(() =>
        {
            var path = Path.Combine(_dir, k);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".part";
            write(temp);
            File.Move(temp, path, overwrite: true);
            return path;
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _built.TryRemove(key, out _);
            throw;
        }
    }

    private void WriteOkx(MarketGenerator market, DateOnly date, string path)
    {
        var instrument = market.Instrument;
        var legacy = IsLegacy(instrument.InstId);
        var (start, end) = OkxDayRange(date);
        WriteZip(path, Path.ChangeExtension(OkxFileName(instrument.InstId, date), ".csv"), date, output =>
        {
            output.Append(legacy ? OkxLegacyHeader : OkxHeader).Append('\n');
            Span<byte> number = stackalloc byte[32];
            for (var b = MarketGenerator.BlockOf(start); b <= MarketGenerator.BlockOf(end - 1); b++)
            {
                var block = market.Generate(b);
                foreach (var fill in block.Fills.Span)
                {
                    if (fill.Ts < start || fill.Ts >= end)
                    {
                        continue;
                    }

                    var side = fill.Buy ? "buy" : "sell";
                    if (legacy)
                    {
                        output.Append(fill.Id).Append(',').Append(side).Append(',')
                            .Append(instrument.FormatSize(fill.SizeUnits)).Append(',')
                            .Append(instrument.FormatPrice(fill.PriceUnits)).Append(',').Append(fill.Ts).Append('\n');
                    }
                    else
                    {
                        output.Append(instrument.InstId).Append(',').Append(fill.Id).Append(',').Append(side).Append(',')
                            .Append(instrument.FormatPrice(fill.PriceUnits)).Append(',')
                            .Append(instrument.FormatSize(fill.SizeUnits)).Append(',').Append(fill.Ts).Append(",0\n");
                    }
                }

                output.FlushTo();
            }
        });
    }

    private static void WriteBinance(MarketGenerator market, DateOnly date, string path)
    {
        var instrument = market.Instrument;
        var (start, end) = UtcDayRange(date);
        WriteZip(path, Path.ChangeExtension(BinanceFileName(instrument.InstId, date), ".csv"), date, output =>
        {
            output.Append(BinanceHeader).Append('\n');
            for (var b = MarketGenerator.BlockOf(start); b <= MarketGenerator.BlockOf(end - 1); b++)
            {
                var block = market.Generate(b);
                foreach (var print in block.Prints.Span)
                {
                    if (print.Ts < start || print.Ts >= end)
                    {
                        continue;
                    }

                    output.Append(print.Ordinal).Append(',').Append(instrument.FormatPrice(print.PriceUnits)).Append(',')
                        .Append(instrument.FormatSize(print.SizeUnits)).Append(',').Append(print.FirstId).Append(',')
                        .Append(print.LastId).Append(',').Append(print.Ts).Append(',')
                        .Append(print.Buy ? "false" : "true").Append('\n');
                }

                output.FlushTo();
            }
        });
    }

    private static void WriteZip(string path, string entryName, DateOnly date, Action<CsvOut> body)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry(entryName, CompressionLevel.Fastest);
            entry.LastWriteTime = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero); // deterministic bytes
            using var stream = entry.Open();
            var output = new CsvOut(stream);
            body(output);
            output.FlushTo();
        }

        file.Flush(true);
    }

    /// <summary>A tiny UTF-8 line builder over a stream (StringBuilder chunks, flushed per block).</summary>
    private sealed class CsvOut(Stream stream)
    {
        private readonly StringBuilder _text = new(1 << 16);

        public CsvOut Append(string value)
        {
            _text.Append(value);
            return this;
        }

        public CsvOut Append(char value)
        {
            _text.Append(value);
            return this;
        }

        public CsvOut Append(long value)
        {
            _text.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public void FlushTo()
        {
            if (_text.Length == 0)
            {
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(_text.ToString());
            stream.Write(bytes);
            _text.Clear();
        }
    }
}
