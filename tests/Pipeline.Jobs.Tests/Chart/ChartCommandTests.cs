using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Tests.Backtest;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using SkiaSharp;

namespace Pipeline.Jobs.Tests.Chart;

/// <summary>Three simulated days, backtested once, and the same days traded by the live jobs (a paper ledger).</summary>
public sealed class ChartCommandFixture : IDisposable
{
    public ChartCommandFixture()
    {
        Vault = new VaultLayout(Dir.File("vault"));
        TestVault.Over(Vault).AppendSimDays(BacktestLiveEquivalenceTests.Day1, 3, fillsPerSecond: 0.2);
        TestVault.Over(Vault).Watermark(TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(3)) + 2_000, connection: "stopped");
        Strategy = Dir.File("strategy.yaml");
        File.WriteAllText(Strategy, BacktestLiveEquivalenceTests.StrategyYaml);
        Report = Dir.File("report");
        var (code, output, error) = CliRunner.RunAsync("backtest", "--vault", Vault.Root, "--strategy", Strategy,
            "--from", "2026-03-01", "--to", "2026-03-03", "--report", Report).GetAwaiter().GetResult();
        Assert.True(code == 0, output + error);

        Config = StrategyRegistry.CreateDefault().Parse(BacktestLiveEquivalenceTests.StrategyYaml, "(test)");
        CalculatorRunner.RunOnce(Vault, new CalcOptions(), TestVault.Exchange, TestVault.InstId, CancellationToken.None);
        new LiveExecutor(Vault, Config).RunToEnd();
    }

    public TempDir Dir { get; } = new();
    public VaultLayout Vault { get; }
    public string Strategy { get; }
    public string Report { get; }
    public StrategyConfig Config { get; }

    public void Dispose() => Dir.Dispose();
}

public sealed class ChartCommandTests(ChartCommandFixture f) : IClassFixture<ChartCommandFixture>
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";
    private static readonly long Day3 = TradeTime.DayStartMs(BacktestLiveEquivalenceTests.Day1.AddDays(2));

    [Fact]
    public async Task Chart_Backtest_DefaultsToTheLastDayAndMarksItsFills()
    {
        var outFile = f.Dir.File("out", "bt.svg");

        var (code, output, error) = await CliRunner.RunAsync("chart", "--backtest", f.Report, "--out", outFile);

        Assert.True(code == 0, output + error);
        Assert.Contains(outFile, output, StringComparison.Ordinal);
        var svg = XDocument.Parse(File.ReadAllText(outFile));
        var plot = svg.Descendants(Ns + "rect").Single(r => (string?)r.Attribute("id") == "plot");
        Assert.Equal(Day3, long.Parse((string)plot.Attribute("data-from-ms")!, CultureInfo.InvariantCulture));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Report, "report.json")));
        var fills = report.RootElement.GetProperty("fills").EnumerateArray()
            .Where(x => x.GetProperty("ts").GetInt64() >= Day3).Select(x => (x.GetProperty("ts").GetInt64(), x.GetProperty("px").GetDecimal())).ToList();
        Assert.NotEmpty(fills);
        var marks = svg.Descendants().Where(e => (string?)e.Attribute("class") == "mark")
            .Select(e => (long.Parse((string)e.Attribute("data-ts")!, CultureInfo.InvariantCulture), decimal.Parse((string)e.Attribute("data-px")!, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(fills.Order(), marks.Order());
    }

    [Fact]
    public async Task Chart_BacktestRangeToPng_RendersThePicture()
    {
        var outFile = f.Dir.File("out", "range.png");

        var (code, output, error) = await CliRunner.RunAsync("chart", "--backtest", f.Report, "--from", "2026-03-02T06:00", "--to", "2026-03-02T12:00", "--out", outFile);

        Assert.True(code == 0, output + error);
        Assert.Contains("2026-03-02 06:00 – 2026-03-02 12:00, 360 minutes", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(outFile);
        Assert.Equal(1100, bitmap.Width);
        Assert.Equal(580, bitmap.Height);
    }

    [Fact]
    public async Task Chart_PngFromTheRealBinary_NativeSkiaShipsWithTheBuild()
    {
        // The product's own build output carries libSkiaSharp for this machine (linux-x64 here), and a child process renders with it.
        var config = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // …/bin/{Release|Debug}/net10.0/
        var native = Path.Combine(RepoPaths.Root(), "jobs", "bin", config, "net10.0", "runtimes",
            System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
        if (OperatingSystem.IsLinux())
        {
            Assert.True(File.Exists(Path.Combine(native, "libSkiaSharp.so")), $"no libSkiaSharp.so in {native}");
        }

        var outFile = f.Dir.File("out", "child.png");

        var (code, stdout, stderr) = await PipelineProcess.RunAsync("chart", "--backtest", f.Report, "--out", outFile);

        Assert.True(code == 0, stdout + stderr);
        using var bitmap = SKBitmap.Decode(outFile);
        Assert.Equal(1100, bitmap.Width);
    }

    [Fact]
    public async Task Chart_Strategy_LedgerOfTheLastDayWithItsFills()
    {
        var outFile = f.Dir.File("out", "ledger.svg");

        var (code, output, error) = await CliRunner.RunAsync("chart", "--vault", f.Vault.Root, "--strategy", f.Config.Id, "--out", outFile);

        Assert.True(code == 0, output + error);
        var svg = XDocument.Parse(File.ReadAllText(outFile));
        var fills = LedgerReader.ReadFills(f.Vault, f.Config.Id).Where(x => x.Ts >= Day3).Select(x => x.Ts).Order().ToList();
        Assert.NotEmpty(fills);
        var marks = svg.Descendants().Where(e => (string?)e.Attribute("class") == "mark")
            .Select(e => long.Parse((string)e.Attribute("data-ts")!, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(fills, marks);
        Assert.Contains(svg.Descendants(Ns + "path"), p => (string?)p.Attribute("data-series") == "upper band");
        Assert.Contains("paper ledger", svg.ToString(), StringComparison.Ordinal);

        // The strategy file, as backtest takes it, names the same ledger.
        var byFile = f.Dir.File("out", "ledger-by-file.svg");
        (code, output, error) = await CliRunner.RunAsync("chart", "--vault", f.Vault.Root, "--strategy", f.Strategy, "--out", byFile);
        Assert.True(code == 0, output + error);
        Assert.Equal(File.ReadAllText(outFile), File.ReadAllText(byFile));
    }

    [Fact]
    public async Task Chart_StrategyDayWithoutDecisionRecords_DrawnFromDerivedMinutes()
    {
        // A day the strategy did not decide on (it started later, or its records were moved away): bars, VWAP and 1.5 σ bands from derived/.
        var signals = f.Vault.SignalsDay(f.Config.Id, TestVault.Exchange, TestVault.InstId, BacktestLiveEquivalenceTests.Day1.AddDays(2));
        File.Move(signals, signals + ".away");
        try
        {
            var outFile = f.Dir.File("out", "derived.svg");

            var (code, output, error) = await CliRunner.RunAsync("chart", "--vault", f.Vault.Root, "--strategy", f.Config.Id, "--from", "2026-03-03", "--out", outFile);

            Assert.True(code == 0, output + error);
            Assert.Contains("1440 minutes", output, StringComparison.Ordinal);
            var svg = XDocument.Parse(File.ReadAllText(outFile));
            Assert.Contains(svg.Descendants(Ns + "path"), p => (string?)p.Attribute("data-series") == "upper band");
            Assert.Contains(svg.Descendants(Ns + "path"), p => (string?)p.Attribute("data-series") == "vwap");
        }
        finally
        {
            File.Move(signals + ".away", signals);
        }
    }

    [Fact]
    public async Task Chart_BrokenOrMissingMinutesFile_RuntimeErrorNamingTheLine()
    {
        var copy = f.Dir.File("broken-report");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(f.Report, "report.json"), Path.Combine(copy, "report.json"), overwrite: true);
        var lines = File.ReadAllLines(Path.Combine(f.Report, "minutes.csv"));
        lines[2] = "2026-03-01T00:01:00Z,not-a-price,,,";
        File.WriteAllLines(Path.Combine(copy, "minutes.csv"), lines);

        var (code, _, error) = await CliRunner.RunAsync("chart", "--backtest", copy);

        Assert.Equal(1, code);
        Assert.Contains("minutes.csv:3: not 'minute,close,vwap,upper,lower'", error, StringComparison.Ordinal);

        File.Delete(Path.Combine(copy, "minutes.csv"));
        (code, _, error) = await CliRunner.RunAsync("chart", "--backtest", copy);

        Assert.Equal(1, code);
        Assert.Contains("written before price charts; run the backtest again", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("either --strategy ID")]
    [InlineData("either --strategy ID", "--strategy", "bt_test", "--backtest", "x")]
    [InlineData("--from: 'yesterday' is not a day", "--backtest", "{report}", "--from", "yesterday")]
    [InlineData("--out x.jpg: name a .svg or .png file", "--backtest", "{report}", "--out", "x.jpg")]
    [InlineData("no report.json there", "--backtest", "{missing}")]
    [InlineData("a sweep or multi-instrument report", "--backtest", "{dir}")]
    [InlineData("no minutes of BTC-USDT-SWAP between 2025-01-01 00:00 and 2025-01-02 00:00 (data from 2026-03-01", "--backtest", "{report}", "--from", "2025-01-01", "--to", "2025-01-01")]
    [InlineData("--to 2026-03-02 00:00 is not after --from 2026-03-02 00:00", "--backtest", "{report}", "--from", "2026-03-02", "--to", "2026-03-01")]
    [InlineData("--strategy nope: no ledger at", "--strategy", "nope")]
    [InlineData("--strategy: '../x' is not a strategy id", "--strategy", "../x")]
    [InlineData("--inst: one instrument per chart", "--strategy", "bt_test", "--inst", "A,B")]
    [InlineData("--inst: 'btc' is not an instrument id", "--strategy", "bt_test", "--inst", "btc")]
    public async Task Chart_BadInput_UsageErrorSayingWhy(string message, params string[] args)
    {
        var resolved = args.Select(a => a.Replace("{report}", f.Report, StringComparison.Ordinal)
            .Replace("{missing}", f.Dir.File("missing"), StringComparison.Ordinal).Replace("{dir}", f.Dir.Path, StringComparison.Ordinal));

        var (code, _, error) = await CliRunner.RunAsync(["chart", "--vault", f.Vault.Root, .. resolved]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
