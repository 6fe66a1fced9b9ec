using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest;
using Pipeline.Jobs.Backtest.Csv;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Xunit.Abstractions;

namespace Pipeline.Jobs.Tests.Backtest.Csv;

/// <summary>
/// Issue 14 item 8: a backtest over CSV files runs the vault backtest's code. From ticks it is the same
/// backtest (same fills); from 1-minute bars it is an approximation whose size is measured here.
/// </summary>
public sealed class CsvBacktestTests(ITestOutputHelper output) : IDisposable
{
    private const string Exchange = "okx";
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly DateOnly Day1 = BacktestLiveEquivalenceTests.Day1;
    private readonly TempDir _dir = new();

    [Fact]
    public void TickCsv_SameTradesAsTheVault_SameFillsAndPnl()
    {
        var vault = SimVault();
        var config = StrategyRegistry.CreateDefault().Parse(BacktestLiveEquivalenceTests.StrategyYaml, "(test)");
        using var fromVault = new Backtester(vault, Exchange, InstId, Day1, Day1.AddDays(1));
        var expected = fromVault.Run(config);

        // The vault's trades as a trader's tick file: ISO-8601 timestamps, price, size in BTC (qtyBase).
        var csv = _dir.File("ticks.csv");
        var text = new StringBuilder("timestamp,price,size\n");
        foreach (var day in new[] { Day1, Day1.AddDays(1) })
        {
            var trades = File.ReadAllLines(vault.RawDayJsonl(Exchange, InstId, day)).Select(new RawTradeParser().Parse).OrderBy(t => t.Ts);
            foreach (var t in trades)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{TradeTime.ToDateTimeOffset(t.Ts).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{t.Px},{t.QtyBase}\n");
            }
        }

        File.WriteAllText(csv, text.ToString());
        var import = CsvMarketImporter.Import([csv], Exchange, InstId, _dir.File("scratch"));
        using var fromCsv = new Backtester(import.Vault, Exchange, InstId, import.FirstDay, import.LastDay);
        var actual = fromCsv.Run(config with { Contract = import.Contract });

        Assert.True(expected.Report.TradeCount >= 5, $"the fixture should trade: {expected.Report.TradeCount} round trips");
        Assert.Equal(expected.Minutes, actual.Minutes);
        Assert.Equal(expected.Trades, actual.Trades);
        // Trade ids differ (a CSV has none: its rows are numbered), everything else is the same.
        Assert.Equal(expected.Sink.Fills.Select(f => f with { TradeId = null }), actual.Sink.Fills.Select(f => f with { TradeId = null }));
        Assert.Equal(expected.Report.Trades, actual.Report.Trades);
        Assert.Equal(expected.Report.NetPnl, actual.Report.NetPnl);
    }

    [Fact]
    public void BarCsv_TheVaultsOwnBars_VwapWithinFiveBpsAndTheDocumentedNotes()
    {
        var vault = SimVault();
        CalculatorRunner.RunOnce(vault, new CalcOptions(), Exchange, InstId, CancellationToken.None);
        var csv = _dir.File("bars.csv");
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        foreach (var bar in Lines(vault, "bars_1m"))
        {
            text.Append(CultureInfo.InvariantCulture, $"{S(bar, "minute")},{S(bar, "open")},{S(bar, "high")},{S(bar, "low")},{S(bar, "close")},{S(bar, "volBase")}\n");
        }

        File.WriteAllText(csv, text.ToString());
        var import = CsvMarketImporter.Import([csv], Exchange, InstId, _dir.File("scratch"));
        foreach (var day in new[] { Day1, Day1.AddDays(1) })
        {
            ClosedDays.Mark(import.Vault, Exchange, InstId, day, "test", DateTimeOffset.UnixEpoch);
        }

        CalculatorRunner.RunOnce(import.Vault, new CalcOptions(), Exchange, InstId, CancellationToken.None);

        // The 1 h VWAP from bars (Σ ohlc4·v / Σ v) against the exact one from every trade.
        var exact = Lines(vault, "vwap").Select(v => Dec(v, "vwap1h")).ToList();
        var approx = Lines(import.Vault, "vwap").Select(v => Dec(v, "vwap1h")).ToList();
        Assert.Equal(exact.Count, approx.Count);
        var worstBps = exact.Zip(approx).Where(p => p.First is not null && p.Second is not null)
            .Max(p => Math.Abs(p.Second!.Value - p.First!.Value) / p.First.Value * 10_000m);
        output.WriteLine($"worst 1h VWAP deviation from bars: {worstBps:0.###} bps");
        Assert.True(worstBps < 5m, $"1h VWAP from bars is {worstBps} bps off the exact one");

        var config = StrategyRegistry.CreateDefault().Parse(BacktestLiveEquivalenceTests.StrategyYaml, "(test)");
        using var fromVault = new Backtester(vault, Exchange, InstId, Day1, Day1.AddDays(1));
        using var fromBars = new Backtester(import.Vault, Exchange, InstId, import.FirstDay, import.LastDay);
        var exactRun = fromVault.Run(config);
        var barRun = fromBars.Run(config with { Contract = import.Contract });
        output.WriteLine($"round trips: ticks {exactRun.Report.TradeCount} (net {exactRun.Report.NetReturnPct:0.###} %), bars {barRun.Report.TradeCount} (net {barRun.Report.NetReturnPct:0.###} %)");
        Assert.Equal(exactRun.Minutes, barRun.Minutes);
        Assert.True(barRun.Report.TradeCount > 0, "the bar backtest trades");
        Assert.Contains(import.Notes, n => n.StartsWith("approximated: VWAP = Σ(ohlc4 × volume) / Σ volume", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.StartsWith("approximated: CVD by the bar's close-vs-open sign", StringComparison.Ordinal));
        Assert.Contains(import.Notes, n => n.StartsWith("not computable: the 5-second move halt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cli_BarCsvFixture_RunsWithoutVaultAndPrintsTheNotes()
    {
        var strategy = _dir.File("strategy.yaml");
        await File.WriteAllTextAsync(strategy, BacktestLiveEquivalenceTests.StrategyYaml);
        var report = _dir.File("report");

        var (code, stdout, stderr) = await CliRunner.RunAsync("backtest", "--vault", _dir.File("empty-vault"), "--strategy", strategy,
            "--csv", CsvMarketImporterTests.Fixture("bars_1m_btc.csv"), "--report", report);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("note: input: 1-minute bars", stdout, StringComparison.Ordinal);
        Assert.Contains("note: not computable: the 5-second move halt", stdout, StringComparison.Ordinal);
        Assert.Contains("net PnL", stdout, StringComparison.Ordinal);
        Assert.Contains("USDT", stdout, StringComparison.Ordinal);
        var md = await File.ReadAllTextAsync(Path.Combine(report, "report.md"));
        Assert.Contains("- approximated: VWAP = Σ(ohlc4 × volume) / Σ volume", md, StringComparison.Ordinal);
        Assert.Contains("2026-03-02", md, StringComparison.Ordinal); // --from/--to default to the CSV's days
        Assert.False(Directory.Exists(Path.Combine(_dir.File("empty-vault"), "raw")), "a CSV backtest writes nothing into the vault");
    }

    [Fact]
    public async Task Cli_BadCsvLines_Exit1WithFileAndLineOfEach()
    {
        var strategy = _dir.File("strategy.yaml");
        await File.WriteAllTextAsync(strategy, BacktestLiveEquivalenceTests.StrategyYaml);
        var path = CsvMarketImporterTests.Fixture("bars_bad_lines.csv");

        var (code, stdout, stderr) = await CliRunner.RunAsync("backtest", "--vault", _dir.File("vault"), "--strategy", strategy, "--csv", path);

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains($"error: {path}:4: high 90000 / low 90005 do not contain open 90010 and close 90008", stderr, StringComparison.Ordinal);
        Assert.Contains($"error: {path}:6: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"error: {path}:8: high 'abc' is not a number", stderr, StringComparison.Ordinal);
        Assert.Contains("error: 3 bad CSV line(s); nothing was replayed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_NoCsvNoDays_UsageError()
    {
        var strategy = _dir.File("strategy.yaml");
        await File.WriteAllTextAsync(strategy, BacktestLiveEquivalenceTests.StrategyYaml);

        var (code, _, stderr) = await CliRunner.RunAsync("backtest", "--vault", _dir.File("vault"), "--strategy", strategy);

        Assert.Equal(2, code);
        Assert.Contains("--from and --to are required (they may be left out only with --csv)", stderr, StringComparison.Ordinal);
    }

    private VaultLayout SimVault()
    {
        var vault = new VaultLayout(_dir.File("vault"));
        TestVault.Over(vault).AppendSimDays(Day1, 2, fillsPerSecond: 0.3)
            .Watermark(TradeTime.DayStartMs(Day1.AddDays(2)) + 2_000, connection: "stopped");
        return vault;
    }

    private static List<JsonElement> Lines(VaultLayout vault, string calc) =>
    [
        .. new[] { Day1, Day1.AddDays(1) }.SelectMany(d => File.ReadAllLines(vault.DerivedDay(calc, Exchange, InstId, d)))
            .Select(l => JsonDocument.Parse(l).RootElement),
    ];

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static decimal? Dec(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
