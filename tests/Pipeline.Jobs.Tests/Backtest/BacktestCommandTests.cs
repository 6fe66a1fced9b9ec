using System.Text.Json;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Backtest;

public sealed class BacktestCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly string _strategy;

    public BacktestCommandTests()
    {
        _vault = new VaultLayout(_dir.File("vault"));
        TestVault.Over(_vault).AppendSimDays(BacktestLiveEquivalenceTests.Day1, 3, fillsPerSecond: 0.2);
        TestVault.Over(_vault).Watermark(TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(3)) + 2_000, connection: "stopped");
        _strategy = _dir.File("strategy.yaml");
        File.WriteAllText(_strategy, BacktestLiveEquivalenceTests.StrategyYaml);
    }

    [Fact]
    public async Task Backtest_MicroStrategyOnTradesOnlyVault_Exit2NamingWhatToRecord()
    {
        var micro = _dir.File("micro.yaml");
        File.WriteAllText(micro, "id: micro_mr\nexchange: okx\ninstId: BTC-USDT-SWAP\n");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", micro,
            "--from", "2026-03-01", "--to", "2026-03-03");

        Assert.True(code == 2, output + error);
        Assert.Contains("error: micro_mr reads quotes and book indicators, but okx/BTC-USDT-SWAP has no quotes or book recorded between 2026-03-01 and 2026-03-03",
            error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "backtest-report", "micro_mr_2026-03-01_2026-03-03")));
    }

    [Fact]
    public async Task Backtest_BadMicroSetting_Exit2OneLine()
    {
        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--z-window", "1");

        Assert.True(code == 2, output + error);
        Assert.Equal("error: robust z window must be 2..1440 minutes", error.Trim());
    }

    [Fact]
    public async Task Backtest_OneRun_WritesReportsAndPrintsSummary()
    {
        var report = _dir.File("report");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--report", report);

        Assert.True(code == 0, output + error);
        foreach (var metric in new[] { "trades", "win rate", "profit factor", "net return after fees", "Sharpe (daily, n=3 days", "max drawdown",
            "average holding", "fees paid", "exits by reason", "expectancy", "fill rate", "max consecutive losses", "long", "short" })
        {
            Assert.Contains(metric, output, StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var trades = json.RootElement.GetProperty("summary").GetProperty("trades").GetInt32();
        Assert.True(trades > 0);
        Assert.Equal(trades, json.RootElement.GetProperty("trades").GetArrayLength());
        var md = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Contains("| net return after fees |", md, StringComparison.Ordinal);
        Assert.Contains("![equity and drawdown](equity.svg)", md, StringComparison.Ordinal);
        var svg = File.ReadAllText(Path.Combine(report, "equity.svg"));
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.Contains("2026-03-02", svg, StringComparison.Ordinal);
        Assert.Contains("drawdown", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(svg); // well-formed
        Assert.DoesNotContain("annualised", output, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("summary").GetProperty("annualizedSharpe").ValueKind);
        Assert.Equal(3, json.RootElement.GetProperty("summary").GetProperty("sharpeDays").GetInt32());

        // The price chart: every entry and exit of the run is marked.
        var price = System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(report, "price.svg")));
        var marks = price.Descendants().Count(e => (string?)e.Attribute("class") == "mark");
        Assert.Equal(json.RootElement.GetProperty("fills").GetArrayLength(), marks);
        Assert.Contains("![price, VWAP, bands, entries, exits and stops](price.svg)", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_MinutesReplayed_CountsMinutesWithTrades()
    {
        // A quiet hour in the middle of day 2: the calculators still emit its minutes (carrying the close), but no trade is replayed there.
        var quiet = new VaultLayout(_dir.File("quiet"));
        var quietFrom = TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(1)) + (10 * 3_600_000L);
        foreach (var day in Enumerable.Range(0, 3).Select(i => BacktestLiveEquivalenceTests.Day1.AddDays(i)))
        {
            var lines = File.ReadAllLines(_vault.RawDayJsonl(TestVault.Exchange, TestVault.InstId, day))
                .Where(l => Ts(l) is var ts && (ts < quietFrom || ts >= quietFrom + 3_600_000L)).ToList();
            var path = quiet.RawDayJsonl(TestVault.Exchange, TestVault.InstId, day);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllLines(path, lines);
        }

        TestVault.Over(quiet).Watermark(TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(3)) + 2_000, connection: "stopped");
        var report = _dir.File("quiet-report");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", quiet.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--report", report);

        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var input = json.RootElement.GetProperty("input");
        var emitted = input.GetProperty("minutesEmitted").GetInt32();
        var withData = input.GetProperty("minutesWithData").GetInt32();
        // Independently: the distinct minutes of the raw trades inside the emitted minutes.
        var csv = File.ReadAllLines(Path.Combine(report, "minutes.csv")).Skip(1).ToList();
        var first = DateTimeOffset.Parse(csv[0].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var end = DateTimeOffset.Parse(csv[^1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() + 60_000;
        var expected = Directory.GetFiles(Path.GetDirectoryName(quiet.RawDayJsonl(TestVault.Exchange, TestVault.InstId, BacktestLiveEquivalenceTests.Day1))!)
            .SelectMany(File.ReadAllLines).Select(Ts).Where(ts => ts >= first && ts < end).Select(ts => ts / 60_000).Distinct().Count();
        Assert.Equal(expected, withData);
        Assert.Equal(csv.Count, emitted);
        Assert.True(emitted - withData >= 60, $"{emitted} emitted, {withData} with data: the quiet hour is not counted");
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"in {withData:N0} minutes with data replayed"), output, StringComparison.Ordinal);
    }

    private static long Ts(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("ts").GetInt64();
    }

    [Fact]
    public async Task Backtest_Sweep_OneRowPerCombination()
    {
        var report = _dir.File("sweep");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--report", report,
            "--sweep", "bandMultiplier=1,1.5", "--sweep", "takeProfitPct=0.3,0.5");

        Assert.True(code == 0, output + error);
        Assert.Contains("bandMultiplier=1 takeProfitPct=0.3", output, StringComparison.Ordinal);
        Assert.Contains("bandMultiplier=1.5 takeProfitPct=0.5", output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetDirectories(report).Length);

        // The summary: one row per parameter set, best net return first (ties: smaller drawdown first).
        var csv = File.ReadAllLines(Path.Combine(report, "sweep.csv"));
        Assert.Equal(5, csv.Length);
        var header = csv[0].Split(',');
        Assert.Equal(["rank", "instrument", "bandMultiplier", "takeProfitPct", "trades"], header.Take(5));
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        var net = Array.IndexOf(header, "net_return_pct");
        var dd = Array.IndexOf(header, "max_drawdown_pct");
        var keys = rows.Select(r => (Net: decimal.Parse(r[net], System.Globalization.CultureInfo.InvariantCulture), Dd: decimal.Parse(r[dd], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.Net).ThenBy(k => k.Dd), keys);
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r[0]));
        Assert.Equal(4, rows.Select(r => (r[2], r[3])).Distinct().Count());
        foreach (var row in rows)
        {
            // Each row's numbers are its run's report.
            using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, row[^1], "report.json")));
            Assert.Equal(run.RootElement.GetProperty("summary").GetProperty("trades").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), row[4]);
            Assert.Equal(row[2], run.RootElement.GetProperty("overrides").GetProperty("bandMultiplier").GetString());
        }

        var md = File.ReadAllLines(Path.Combine(report, "sweep.md"));
        Assert.Equal(4, md.Count(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2])));
    }

    [Fact]
    public async Task Backtest_UnknownSweepKey_UsageErrorNamingIt()
    {
        var (code, _, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--sweep", "bandMultiplyer=1,2");

        Assert.Equal(2, code);
        Assert.Contains("bandMultiplyer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_NoDaysInRange_UsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2025-01-01", "--to", "2025-01-02");

        Assert.Equal(2, code);
        Assert.Contains("no raw days", error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
