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
    public async Task Backtest_OneRun_WritesReportsAndPrintsSummary()
    {
        var report = _dir.File("report");

        var (code, output, error) = await CliRunner.RunAsync("backtest", "--vault", _vault.Root, "--strategy", _strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--report", report);

        Assert.True(code == 0, output + error);
        foreach (var metric in new[] { "trades", "win rate", "profit factor", "net return after fees", "Sharpe (daily)", "max drawdown", "average holding", "fees paid", "exits by reason" })
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
        Assert.Contains("4 runs", output, StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetDirectories(report).Length);
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
