using System.Globalization;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Calc;

public sealed class CalcCommandTests : IDisposable
{
    private static readonly DateOnly Day = new(2025, 12, 14);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Calc_Vault_PrintsMinutesPerCalculatorAndWritesFiles()
    {
        var layout = Seed();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["calc", "--vault", _root, "--log-level", "warning"], output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        Assert.Contains("okx/BTC-USDT-SWAP: 300 trades", text, StringComparison.Ordinal);
        Assert.Contains("bars_1m 10  vwap 10  bands 10  cvd 10  adx 10", text, StringComparison.Ordinal);
        foreach (var calc in new[] { "bars_1m", "vwap", "bands", "cvd", "adx" })
        {
            Assert.Equal(10, File.ReadAllLines(layout.DerivedDay(calc, "okx", "BTC-USDT-SWAP", Day)).Length);
        }
    }

    [Fact]
    public async Task Calc_VaultWithQuotesAndBook_WritesTheMicrostructureOutputsWithTheirSettings()
    {
        var v = TestVault.Over(new VaultLayout(_root));
        MicroDay.Write(v, Day, minutes: 30);
        v.Watermark(TestVault.T(Day, 0, 20, 30));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["calc", "--vault", _root, "--log-level", "warning", "--vpin-bucket", "2.5", "--vpin-buckets", "4", "--ofi-window", "3"], output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        Assert.Contains("adx 20  kyle 20  ofi 20  microprice 20  vpin 20  bookdepth 20", output.ToString(), StringComparison.Ordinal);
        var vpin = v.Lines("vpin", Day);
        Assert.Equal(20, vpin.Length);
        Assert.DoesNotContain("\"vpin\":null", vpin[^1], StringComparison.Ordinal); // 4 buckets of 2.5 fill in minutes
        var ofi = v.Lines("ofi", Day);
        Assert.Contains("\"ofiRolling\":null", ofi[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\"ofiRolling\":null", ofi[2], StringComparison.Ordinal); // warm at the 3rd minute
    }

    [Fact]
    public async Task Recalc_Day_RebuildsTheSameBytes()
    {
        var layout = Seed();
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await PipelineCli.RunAsync(["calc", "--vault", _root], output, error));
        var bars = layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", Day);
        var before = File.ReadAllText(bars);
        File.Delete(bars);
        var code = await PipelineCli.RunAsync(
            ["recalc", "--vault", _root, "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--from", "2025-12-14"], output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        Assert.Equal(before, File.ReadAllText(bars));
    }

    [Theory]
    [InlineData("recalc", "--from", "2025-12-14")]
    [InlineData("recalc", "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--from", "14/12/2025")]
    [InlineData("calc", "--adx-period", "1")]
    [InlineData("calc", "--bands", "1,x")]
    [InlineData("calc", "--vpin-bucket", "0")]
    [InlineData("calc", "--ofi-window", "0")]
    [InlineData("calc", "--z-window", "1")]
    [InlineData("calc", "--depth-bps", "-1")]
    [InlineData("calc", "--exchange", "okx", "--inst", "bad/id")]
    public async Task CalcCommands_BadUsage_ExitTwoWithOneLine(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync([.. args, "--vault", _root], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task Calc_OneInstrumentsStateFileCorrupt_OthersComputedBadOneNamedExitOne()
    {
        var layout = Seed("BTC-USDT-SWAP");
        Seed("ETH-USDT-SWAP");
        var state = layout.CalcState("bars_1m", "okx", "BTC-USDT-SWAP");
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        File.WriteAllText(state, "{\"Version\":1,\"Input\":{"); // torn by a bad disk
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["calc", "--vault", _root, "--log-level", "warning"], output, error);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(10, File.ReadAllLines(layout.DerivedDay("adx", "okx", "ETH-USDT-SWAP", Day)).Length);
        Assert.Contains(state, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal); // no stack trace
    }

    [Theory]
    [InlineData("--exchange", "okx", "--inst", "NOPE-USDT-SWAP")]
    [InlineData("--inst", "NOPE-USDT-SWAP")]
    public async Task Calc_UnknownInstrument_ExitTwoOneLineCreatesNothing(params string[] args)
    {
        Seed();
        var before = Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order().ToList();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["calc", "--vault", _root, .. args], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("NOPE-USDT-SWAP", Assert.Single(error.ToString().Trim().Split('\n')), StringComparison.Ordinal);
        var after = Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(Path.Combine(_root, "logs"), StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Calc_LockFileCannotBeWritten_SaysCannotWriteNotAnotherRun()
    {
        // What a read-only vault looks like to the lock (as root a read-only mount is needed to see EROFS itself;
        // a directory where the lock file goes fails the same open): never "another run holds it".
        var layout = Seed();
        var lockPath = Path.ChangeExtension(Path.ChangeExtension(layout.CalcState("bars_1m", "okx", "BTC-USDT-SWAP"), null), ".lock");
        Directory.CreateDirectory(lockPath);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["calc", "--vault", _root, "--log-level", "warning"], output, error);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("cannot write the calculator lock", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("another calculator run", error.ToString(), StringComparison.Ordinal);
    }

    private VaultLayout Seed(string instId = "BTC-USDT-SWAP")
    {
        var layout = new VaultLayout(_root);
        var start = TradeTime.DayStartMs(Day);
        using (var appender = JsonlAppender.Open(layout.RawDayJsonl("okx", instId, Day)))
        {
            for (var i = 0; i < 300; i++)
            {
                var ts = start + (i * 2000L);
                RawTradeWriter.Write(appender, new RawTrade
                {
                    Exchange = "okx", InstId = instId, TradeId = (1000 + i).ToString(CultureInfo.InvariantCulture), Ts = ts,
                    Px = (100m + (i % 7)).ToString(CultureInfo.InvariantCulture), Sz = "1", Side = i % 3 == 0 ? "sell" : "buy",
                    CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.01", RecvTs = ts + 1, Src = "ws",
                });
                appender.EndLine();
            }
        }

        new StateFile<ExporterState>(layout.ExporterState("okx", instId)).Write(new ExporterState
        {
            Exchange = "okx", InstId = instId, WatermarkTs = start + (10 * 60_000) + 2_000,
        });
        return layout;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
