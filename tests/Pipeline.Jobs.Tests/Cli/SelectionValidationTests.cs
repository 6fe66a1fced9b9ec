using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Cli;

/// <summary>
/// Every command's --exchange/--inst goes through <see cref="CommonOptions.ExchangeFilter"/> and
/// <see cref="CommonOptions.InstIds"/>: a bad value is a one-line usage error (exit 2) that touches nothing.
/// </summary>
public sealed class SelectionValidationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, string> BadSelections()
    {
        // command prefix (the rest of its required options), option, bad value
        string[] commands =
        [
            "status", "status --json", "compact", "compact --raw-only",
            "export --exchange binance --inst BTCUSDT", "backfill --exchange binance --inst BTCUSDT --from 2025-03-01",
            "calc", "recalc --exchange binance --inst BTCUSDT --from 2025-03-01",
            "backtest --strategy " + Path.Combine(RepoPaths.Root(), "config", "strategies", "vwap_mean_reversion.yaml") +
                " --from 2025-03-01 --to 2025-03-01",
            "chart --strategy x",
        ];
        string[] badInst = ["../x", "../../etc", "a/b", "BTC..USDT", "btcusdt", "-BTC", "BTC\\USDT"];
        string[] badExchange = ["../x", "ok/x", "kraken", "..", ""];
        var data = new TheoryData<string, string, string>();
        foreach (var command in commands)
        {
            foreach (var value in badInst)
            {
                data.Add(command, "--inst", value);
            }

            foreach (var value in badExchange)
            {
                data.Add(command, "--exchange", value);
            }
        }

        data.Add("verify", "--exchange", "../x");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadSelections))]
    public async Task Command_BadExchangeOrInst_ExitsTwoWithOneLineAndCreatesNothing(string command, string option, string value)
    {
        var vault = _dir.File("vault");
        SeedOneRawDay(vault);
        var before = Snapshot(vault);
        var args = RemoveOption(command.Split(' '), option).Concat([option, value, "--vault", vault]).ToArray();

        var (code, output, error) = await CliRunner.RunAsync(args);

        Assert.True(code == ExitCodes.Usage, $"{string.Join(' ', args)} exited {code}: {error}{output}");
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(option, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.Equal(before, Snapshot(vault));
    }

    [Theory]
    [InlineData("BTCUSDT\u001b[31m")]
    [InlineData("BTC\nUSDT")]
    public async Task Status_InstWithControlCharacters_OneLineEscaped(string value)
    {
        var (code, _, error) = await CliRunner.RunAsync("status", "--inst", value, "--vault", _dir.File("vault"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain('\u001b', error);
    }

    [Fact]
    public void InstIds_ValidList_TrimmedAndKept()
    {
        Assert.Equal(["BTCUSDT", "ETH-USDT-SWAP"], CommonOptions.InstIds(" BTCUSDT, ETH-USDT-SWAP "));
        Assert.Empty(CommonOptions.InstIds(null));
        Assert.Equal("okx", CommonOptions.ExchangeFilter(" OKX "));
        Assert.Null(CommonOptions.ExchangeFilter(null));
    }

    private static string[] RemoveOption(string[] args, string option)
    {
        // "export --exchange binance --inst BTCUSDT" with a bad --inst: drop the good --inst and its value.
        var list = args.ToList();
        var at = list.IndexOf(option);
        if (at >= 0)
        {
            list.RemoveRange(at, 2);
        }

        return [.. list];
    }

    private static void SeedOneRawDay(string root)
    {
        var vault = new VaultLayout(root);
        var day = new DateOnly(2025, 3, 1);
        using var appender = JsonlAppender.Open(vault.RawDayJsonl("binance", "BTCUSDT", day));
        RawTradeWriter.Write(appender, new RawTrade
        {
            Exchange = "binance", InstId = "BTCUSDT", TradeId = "100", Ts = TradeTime.DayStartMs(day) + 1, Px = "1", Sz = "1",
            Side = "sell", CtVal = "1", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "1",
            RecvTs = TradeTime.DayStartMs(day) + 1, Src = "ws",
        });
        appender.EndLine();
    }

    private static string Snapshot(string root) => string.Join('\n',
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p).Ticks}" : p + "/"));
}
