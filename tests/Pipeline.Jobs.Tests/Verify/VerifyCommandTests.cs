using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Verify;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly DateOnly Day = new(2026, 3, 1);

    private static RawTrade Trade(long id) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Ts = TradeTime.DayStartMs(Day) + id, Px = "90000.1", Sz = "2", Side = "buy", CtVal = "0.01", CtMult = "1",
        CtType = "linear", CtValCcy = "BTC", QtyBase = "0.02", RecvTs = 1, Src = "ws",
    };

    private void WriteDay(params long[] ids) => Write(new VaultLayout(_dir.Path).RawDayJsonl("okx", "BTC-USDT-SWAP", Day), ids.Select(Trade));

    private static void Write(string path, IEnumerable<RawTrade> trades)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var appender = JsonlAppender.Open(path);
        foreach (var trade in trades)
        {
            RawTradeWriter.Write(appender, trade);
            appender.EndLine();
        }
    }

    private string WriteTruth(params long[] ids)
    {
        var truth = System.IO.Path.Combine(_dir.Path, "truth");
        Write(Pipeline.Vault.Verify.TruthLayout.TradesPath(truth, "okx", "BTC-USDT-SWAP"), ids.Select(Trade));
        File.WriteAllText(System.IO.Path.Combine(truth, "truth.json"),
            $$"""{"startTs":{{TradeTime.DayStartMs(Day)}},"endTs":{{TradeTime.DayStartMs(Day) + TradeTime.MsPerDay - 1}}}""");
        return truth;
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["verify", "--vault", _dir.Path, .. args], output, error);
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task Verify_CleanDay_JsonStartsWithTheContractFieldsAndExitsZero()
    {
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync("--json");
        Assert.Equal(0, code);
        Assert.StartsWith("{\"duplicates\":0,\"torn\":0,\"missing\":0,\"extra\":0,\"gaps\":[],\"lines\":3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NonUtf8ByteInOneLine_OneProblemWithOffsetOtherLinesVerified()
    {
        // Issue 9 item 11: a single bad byte used to end verify for the whole vault (Cannot transcode invalid UTF-8).
        WriteDay(1, 2);
        var vault = new VaultLayout(_dir.Path);
        var path = vault.RawDayJsonl("okx", "BTC-USDT-SWAP", new DateOnly(2026, 3, 1));
        var offset = new FileInfo(path).Length;
        var bad = System.Text.Encoding.UTF8.GetBytes(File.ReadLines(path).First().Replace("\"BTC\"", "\"B#C\"", StringComparison.Ordinal) + "\n");
        bad[Array.IndexOf(bad, (byte)'#')] = 0xFF;
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(bad);
        }

        WriteDay(3);
        var (code, output) = await RunAsync("--json");
        Assert.Equal(1, code); // not clean, but not a crash
        Assert.DoesNotContain("transcode", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"lines\":3", output, StringComparison.Ordinal);
        Assert.Contains(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DuplicateAndGap_ExitsOneAndListsTheGap()
    {
        WriteDay(1, 2, 2, 5);
        var (code, output) = await RunAsync("--json", "--exchange", "okx", "--from", "2026-03-01", "--to", "2026-03-01");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("duplicates").GetInt64());
        var gap = Assert.Single(json.RootElement.GetProperty("gaps").EnumerateArray());
        Assert.Equal(3, gap.GetProperty("from").GetInt64());
        Assert.Equal(4, gap.GetProperty("to").GetInt64());
    }

    [Fact]
    public async Task Verify_Table_ShowsTotals()
    {
        WriteDay(1, 2);
        var (code, output) = await RunAsync();
        Assert.Equal(0, code);
        Assert.Contains("BTC-USDT-SWAP", output, StringComparison.Ordinal);
        Assert.Contains("clean", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BadFrom_IsAUsageError()
    {
        var (code, output) = await RunAsync("--from", "yesterday");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--from", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTruth_PxAlteredInOneLine_ExitsOneNamingTheField()
    {
        var truth = WriteTruth(1, 2, 3);
        Write(new VaultLayout(_dir.Path).RawDayJsonl("okx", "BTC-USDT-SWAP", Day), [Trade(1), Trade(2) with { Px = "90000.2" }, Trade(3)]);
        var (code, output) = await RunAsync("--truth", truth, "--json");
        Assert.Equal(ExitCodes.Failure, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("contentMismatches").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("compared").GetInt64());
        var mismatch = Assert.Single(json.RootElement.GetProperty("instruments")[0].GetProperty("mismatches").EnumerateArray());
        Assert.Equal("px", mismatch.GetProperty("field").GetString());
        Assert.Equal("90000.1", mismatch.GetProperty("expected").GetString());
        Assert.Equal("90000.2", mismatch.GetProperty("actual").GetString());

        (code, output) = await RunAsync("--truth", truth);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("2026-03-01.jsonl@", output, StringComparison.Ordinal);
        Assert.Contains("trade 2 px expected 90000.1 actual 90000.2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTruth_SameContent_ExitsZero()
    {
        var truth = WriteTruth(1, 2, 3);
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync("--truth", truth, "--json");
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Verify_KnownGapInExporterState_ExitsOneAndListsIt()
    {
        WriteDay(1, 2, 3);
        var vault = new VaultLayout(_dir.Path);
        new StateFile<ExporterState>(vault.ExporterState("okx", "BTC-USDT-SWAP")).Write(new ExporterState
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", LastTradeId = "3", WatermarkTs = TradeTime.DayStartMs(Day) + 10,
            KnownGaps = [new KnownGap { BeforeTradeId = "1", FromTs = TradeTime.DayStartMs(Day) - 4000, ToTs = TradeTime.DayStartMs(Day), Reason = "outage before the first trade" }],
        });
        var (code, output) = await RunAsync("--json");
        Assert.Equal(ExitCodes.Failure, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("clean").GetBoolean());
        var gap = Assert.Single(json.RootElement.GetProperty("instruments")[0].GetProperty("knownGaps").EnumerateArray());
        Assert.Equal("outage before the first trade", gap.GetProperty("reason").GetString());
        (code, output) = await RunAsync();
        Assert.Contains("known gap", output, StringComparison.Ordinal);
        Assert.Contains("NOT clean", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--inst", "../x")]
    [InlineData("--truth", "/etc")]
    [InlineData("--truth", "/nonexistent-truth-dir")]
    public async Task Verify_BadInstOrTruthDir_IsAUsageErrorInOneLine(string option, string value)
    {
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync(option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
