using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Verify;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteDay(params long[] ids)
    {
        var vault = new VaultLayout(_dir.Path);
        var day = new DateOnly(2026, 3, 1);
        using var appender = JsonlAppender.Open(vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day));
        foreach (var id in ids)
        {
            RawTradeWriter.Write(appender, new RawTrade
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ts = TradeTime.DayStartMs(day) + id, Px = "90000.1", Sz = "2", Side = "buy", CtVal = "0.01", CtMult = "1",
                CtType = "linear", CtValCcy = "BTC", QtyBase = "0.02", RecvTs = 1, Src = "ws",
            });
            appender.EndLine();
        }
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
}
