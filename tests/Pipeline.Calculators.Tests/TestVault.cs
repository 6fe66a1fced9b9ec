using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Tests;

/// <summary>
/// A temporary vault with a small in-test writer of raw lines (RawTradeWriter + JsonlAppender),
/// exporter watermarks, and readers of the derived files.
/// </summary>
public sealed class TestVault : IDisposable
{
    public const string Exchange = "okx";
    public const string InstId = "BTC-USDT-SWAP";
    private readonly TempDir _dir = new();

    public TestVault() => Layout = new VaultLayout(_dir.Path);

    public VaultLayout Layout { get; }

    public static readonly DateOnly Day1 = new(2025, 12, 14);

    public static long T(DateOnly day, int hour, int minute, int second = 0, int ms = 0) =>
        TradeTime.DayStartMs(day) + (((hour * 60L) + minute) * 60_000) + (second * 1000L) + ms;

    public static RawTrade Trade(long ts, string px, string qty, string side = "buy", string? id = null, string instId = InstId) => new()
    {
        Exchange = Exchange, InstId = instId, TradeId = id ?? ts.ToString(CultureInfo.InvariantCulture), Ts = ts, Px = px, Sz = qty,
        Side = side, CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = qty, RecvTs = ts + 5, Src = "ws",
    };

    public void Append(IEnumerable<RawTrade> trades)
    {
        foreach (var group in trades.GroupBy(t => t.Day))
        {
            using var appender = JsonlAppender.Open(Layout.RawDayJsonl(Exchange, InstId, group.Key));
            foreach (var t in group)
            {
                RawTradeWriter.Write(appender, t);
                appender.EndLine();
            }
        }
    }

    public void AppendRaw(DateOnly day, byte[] bytes)
    {
        var path = Layout.RawDayJsonl(Exchange, InstId, day);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        stream.Write(bytes);
    }

    public void Watermark(long ts) =>
        new StateFile<ExporterState>(Layout.ExporterState(Exchange, InstId)).Write(new ExporterState
        {
            Exchange = Exchange, InstId = InstId, WatermarkTs = ts, Connection = "connected",
        });

    public CalcRunResult Calc(CalcOptions? options = null) =>
        CalculatorRunner.RunOnce(Layout, options ?? new CalcOptions(), Exchange, InstId, CancellationToken.None);

    public CalcRunResult Recalc(DateOnly from, DateOnly? to = null, CalcOptions? options = null) =>
        CalculatorRunner.Recalc(Layout, options ?? new CalcOptions(), Exchange, InstId, from, to, CancellationToken.None);

    public string DerivedText(string calc, DateOnly day)
    {
        var path = Layout.DerivedDay(calc, Exchange, InstId, day);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public string[] Lines(string calc, DateOnly day) =>
        DerivedText(calc, day).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public bool DerivedExists(string calc, DateOnly day) => File.Exists(Layout.DerivedDay(calc, Exchange, InstId, day));

    /// <summary>Every derived file of the instrument: relative path → content.</summary>
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

    public void Dispose() => _dir.Dispose();
}
