using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Testing.Vaults;

/// <summary>
/// The one vault builder of the tests: a temporary vault (<see cref="Create"/>) or an existing one
/// (<see cref="Over"/>) filled the way the product fills it (raw trades through RawTradeWriter + JsonlAppender,
/// the simulator's deterministic market, calculator minute files, exporter watermarks), with readers of the
/// derived files. Builder calls return the vault, so they chain:
/// <c>TestVault.Create().Append(trades).Watermark(ts).Calc()</c>.
/// Instrument-bound calls use okx BTC-USDT-SWAP unless <see cref="For"/> names another instrument.
/// </summary>
public sealed class TestVault : IDisposable
{
    public const string Exchange = "okx";
    public const string InstId = "BTC-USDT-SWAP";

    public static readonly DateOnly Day1 = new(2025, 12, 14);

    private readonly TempDir? _dir;
    private string _exchange = Exchange;
    private string _instId = InstId;
    private int _tradeId = 5000;

    private TestVault(VaultLayout layout, TempDir? dir)
    {
        Layout = layout;
        _dir = dir;
    }

    public VaultLayout Layout { get; }

    /// <summary>A fresh vault under the system temp folder ({temp}/vault), deleted on dispose.</summary>
    public static TestVault Create()
    {
        var dir = new TempDir();
        return new TestVault(new VaultLayout(dir.File("vault")), dir);
    }

    /// <summary>A builder over an existing vault (a test's own folder, a process's vault); dispose leaves it in place.</summary>
    public static TestVault Over(VaultLayout layout) => new(layout, dir: null);

    /// <summary>Makes the instrument-bound calls (minutes, trades, watermark, sim days, readers) use this instrument.</summary>
    public TestVault For(string exchange, string instId)
    {
        _exchange = exchange;
        _instId = instId;
        return this;
    }

    /// <summary>Unix ms of <paramref name="day"/> at the given UTC time.</summary>
    public static long T(DateOnly day, int hour, int minute, int second = 0, int ms = 0) =>
        TradeTime.DayStartMs(day) + (((hour * 60L) + minute) * 60_000) + (second * 1000L) + ms;

    /// <summary>An okx linear trade (ctVal 1, qtyBase = qty) with the trade id defaulting to its timestamp.</summary>
    public static RawTrade Trade(long ts, string px, string qty, string side = "buy", string? id = null, string instId = InstId) => new()
    {
        Exchange = Exchange, InstId = instId, TradeId = id ?? ts.ToString(CultureInfo.InvariantCulture), Ts = ts, Px = px, Sz = qty,
        Side = side, CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = qty, RecvTs = ts + 5, Src = "ws",
    };

    /// <summary>A linear trade of any venue (okx ctVal 0.01, others 1); even ids buy, odd ids sell.</summary>
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

    /// <summary>Appends the trades to their own instrument's day files through the real appender.</summary>
    public TestVault Append(IEnumerable<RawTrade> trades)
    {
        WriteTrades([.. trades]);
        return this;
    }

    /// <summary>Appends the trades to their day files through the real appender (fsynced); returns the paths written.</summary>
    public IReadOnlyList<string> WriteTrades(params RawTrade[] trades)
    {
        var paths = new List<string>();
        foreach (var group in trades.GroupBy(t => Layout.RawDayJsonl(t.Exchange, t.InstId, t.Day)))
        {
            WriteTradeFile(group.Key, group);
            paths.Add(group.Key);
        }

        return paths;
    }

    /// <summary>
    /// Appends raw-trade lines to any file (a truth file, a day file with chosen content) through the real
    /// appender, fsynced; <paramref name="tail"/> (e.g. a torn line) is appended as it is.
    /// </summary>
    public static void WriteTradeFile(string path, IEnumerable<RawTrade> trades, string? tail = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var appender = JsonlAppender.Open(path))
        {
            foreach (var trade in trades)
            {
                RawTradeWriter.Write(appender, trade);
                appender.EndLine();
            }

            appender.Sync();
        }

        if (tail is not null)
        {
            File.AppendAllText(path, tail);
        }
    }

    /// <summary>Appends bytes as they are to the instrument's raw day file (torn lines, foreign lines, chunked writes).</summary>
    public TestVault AppendRaw(DateOnly day, byte[] bytes)
    {
        var path = Layout.RawDayJsonl(_exchange, _instId, day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        stream.Write(bytes);
        return this;
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

    /// <summary>
    /// Appends microstructure records (QuoteRecord, BookRecord, LiquidationRecord, DerivativesRecord) as
    /// MicroLineWriter lines, each to raw/{exchange}/{kind}_perps/{instId}/{day of its ts}.jsonl (the record's own
    /// exchange and instrument); returns the path of each line's file, in order.
    /// </summary>
    public IReadOnlyList<string> AppendMicro(params object[] records)
    {
        var paths = new List<string>();
        foreach (var record in records)
        {
            var (kind, exchange, instId, ts) = record switch
            {
                Pipeline.Vault.Micro.QuoteRecord q => (Pipeline.Vault.Micro.MicroKind.Quotes, q.Exchange, q.InstId, q.Ts),
                Pipeline.Vault.Micro.BookRecord b => (Pipeline.Vault.Micro.MicroKind.Book, b.Exchange, b.InstId, b.Ts),
                Pipeline.Vault.Micro.LiquidationRecord l => (Pipeline.Vault.Micro.MicroKind.Liquidations, l.Exchange, l.InstId, l.Ts),
                Pipeline.Vault.Micro.DerivativesRecord d => (Pipeline.Vault.Micro.MicroKind.Derivatives, d.Exchange, d.InstId, d.Ts),
                _ => throw new ArgumentException($"not a micro record: {record?.GetType().Name ?? "null"}", nameof(records)),
            };
            var path = Layout.MicroDayJsonl(kind, exchange, instId, TradeTime.Day(ts));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, Pipeline.Vault.Micro.MicroLineWriter.ToLine(record));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Appends one raw trade line of the instrument (plain append: fixtures need no fsync); returns its tradeId.</summary>
    public string AppendTrade(long ts, decimal px, string? tradeId = null)
    {
        var id = tradeId ?? (++_tradeId).ToString(CultureInfo.InvariantCulture);
        var path = Layout.RawDayJsonl(_exchange, _instId, TradeTime.Day(ts));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, RawTradeWriter.ToLine(new RawTrade
        {
            Exchange = _exchange, InstId = _instId, TradeId = id, Ts = ts, Px = D(px), Sz = "1", Side = "sell",
            CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.01", RecvTs = ts + 5, Src = "ws",
        }));  // ToLine ends with its newline
        return id;
    }

    /// <summary>Appends the calculator minute lines (bars_1m, vwap, bands, adx) of one minute the way the calculators write them.</summary>
    public TestVault Minute(long minuteMs, decimal close, decimal vwap = 1000m, decimal sigma = 10m, decimal? adx = 15m, decimal move = 0m,
        bool bars = true, bool vwapFile = true, bool bandsFile = true, bool adxFile = true)
    {
        var head = $"{{\"minute\":\"{MinuteIso(minuteMs)}\",\"exchange\":\"{_exchange}\",\"instId\":\"{_instId}\"";
        var day = TradeTime.Day(minuteMs);
        if (bars)
        {
            AppendDerived("bars_1m", day, $"{head},\"open\":\"{D(close)}\",\"close\":\"{D(close)}\",\"trades\":3,\"maxMove5sBps\":\"{D(move)}\"}}");
        }

        if (vwapFile)
        {
            AppendDerived("vwap", day, $"{head},\"vwap1m\":\"{D(close)}\",\"vwap1h\":\"{D(vwap)}\",\"vwap4h\":\"1\",\"vwapSession\":\"2\"}}");
        }

        if (bandsFile)
        {
            AppendDerived("bands", day, $"{head},\"sigma1h\":\"{D(sigma)}\",\"sigma4h\":\"1\",\"sigmaSession\":\"2\"}}");
        }

        if (adxFile)
        {
            AppendDerived("adx", day, $"{head},\"atr\":\"1\",\"adx\":{(adx is { } a ? "\"" + D(a) + "\"" : "null")}}}");
        }

        return this;
    }

    /// <summary>
    /// Writes whole raw days of the instrument from the simulator's deterministic market (OKX fills, Binance
    /// aggTrades: the trades its truth files hold) with the vault's own writer.
    /// </summary>
    public TestVault AppendSimDays(DateOnly first, int days, double fillsPerSecond, ulong seed = 7)
    {
        var market = new MarketGenerator(SimInstruments.Find(_instId), seed, fillsPerSecond);
        for (var day = first; day < first.AddDays(days); day = day.AddDays(1))
        {
            var start = TradeTime.DayStartMs(day);
            WriteTradeFile(Layout.RawDayJsonl(_exchange, _instId, day), SimRawTrades.Between(market, start, start + TradeTime.MsPerDay - 1));
        }

        return this;
    }

    /// <summary>The exporter state saying every trade of the instrument before <paramref name="ts"/> is on disk.</summary>
    public TestVault Watermark(long ts, string connection = "connected")
    {
        new StateFile<ExporterState>(Layout.ExporterState(_exchange, _instId)).Write(new ExporterState
        {
            Exchange = _exchange, InstId = _instId, WatermarkTs = ts, Connection = connection,
        });
        return this;
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

    public CalcRunResult Calc(CalcOptions? options = null) =>
        CalculatorRunner.RunOnce(Layout, options ?? new CalcOptions(), _exchange, _instId, CancellationToken.None);

    public CalcRunResult Recalc(DateOnly from, DateOnly? to = null, CalcOptions? options = null) =>
        CalculatorRunner.Recalc(Layout, options ?? new CalcOptions(), _exchange, _instId, from, to, CancellationToken.None);

    public string DerivedText(string calc, DateOnly day)
    {
        var path = Layout.DerivedDay(calc, _exchange, _instId, day);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public string[] Lines(string calc, DateOnly day) =>
        DerivedText(calc, day).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public bool DerivedExists(string calc, DateOnly day) => File.Exists(Layout.DerivedDay(calc, _exchange, _instId, day));

    /// <summary>Every derived JSONL file of the vault: relative path → content.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(Layout.DerivedDir))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(Layout.DerivedDir, "*.jsonl", SearchOption.AllDirectories))
        {
            result[Path.GetRelativePath(Layout.DerivedDir, file)] = File.ReadAllText(file);
        }

        return result;
    }

    public void Dispose() => _dir?.Dispose();

    private void AppendDerived(string calc, DateOnly day, string line)
    {
        var path = Layout.DerivedDay(calc, _exchange, _instId, day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, line + "\n");
    }

    private static string D(decimal value) => ExactDecimal.Format(value);

    /// <summary>The minute stamp as the calculators and the ledger write it (yyyy-MM-ddTHH:mm:ssZ).</summary>
    private static string MinuteIso(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
