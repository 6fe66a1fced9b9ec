namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// A live strategy starts only under <c>pipeline run</c> with the confirmation and the keys; everything else is refused
/// before anything starts, in one line (exit 2) that names the way out and holds no key material.
/// </summary>
public sealed class LiveRunRefusalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ConfigAsync(string exchange, string instId, string mode, string? trading = null)
    {
        var strategy = _dir.File($"live_{exchange}.yaml");
        await File.WriteAllTextAsync(strategy, $"id: live_{exchange}\nstrategy: vwap_mean_reversion\nexchange: {exchange}\ninstId: {instId}\nmode: {mode}\n");
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx:
                enabled: false
              binance:
                enabled: false
            health:
              address: off
            strategies:
              - {strategy}
            {trading ?? ""}
            """);
        return config;
    }

    [Fact]
    public async Task Run_LiveStrategyWithoutConfirmation_ExitsTwoInOneLine()
    {
        var config = await ConfigAsync("binance", "BTCUSDT", "live");

        var (code, output, error) = await CliRunner.RunAsync("run", "--config", config);

        Assert.Equal(2, code);
        Assert.Equal("error: strategy live_binance is configured for live trading on binance: confirm with --confirm-live or PIPELINE_CONFIRM_LIVE=1", error.Trim());
        Assert.DoesNotContain("LIVE TRADING", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.File("vault"), "state", "host", "run.json")), "nothing may start before the refusal");
    }

    [Fact]
    public async Task Run_LiveStrategyConfirmedWithoutKeys_ExitsTwoNamingTheVariables()
    {
        var config = await ConfigAsync("okx", "BTC-USDT-SWAP", "live");

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", config, "--confirm-live");

        Assert.Equal(2, code);
        Assert.Equal(
            "error: live trading refused: no okx API credentials: set PIPELINE_OKX_API_KEY and PIPELINE_OKX_API_SECRET and PIPELINE_OKX_API_PASSPHRASE, or name an owner-only credentials file in PIPELINE_CREDENTIALS_FILE",
            error.Trim());
    }

    [Fact]
    public async Task Run_CredentialsFileReadableByOthers_ExitsTwoWithoutItsContent()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // owner-only is a POSIX file mode; CredentialLoader does not check it on Windows
        }

        var keys = _dir.File("keys.env");
        var secret = "refusal-secret-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(keys, $"PIPELINE_BINANCE_API_KEY=refusal-key-{Guid.NewGuid():N}\nPIPELINE_BINANCE_API_SECRET={secret}\n");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var config = await ConfigAsync("binance", "BTCUSDT", "live", $"trading:\n  credentialsFile: {keys}\n");

        var (code, output, error) = await CliRunner.RunAsync("run", "--config", config, "--confirm-live");

        Assert.Equal(2, code);
        Assert.Equal($"error: live trading refused: credentials file {keys} is accessible by group or others (mode 0644); run: chmod 600 {keys}", error.Trim());
        Assert.DoesNotContain(secret, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfirmLiveWithOnlyPaperStrategies_ExitsTwo()
    {
        var config = await ConfigAsync("binance", "BTCUSDT", "paper");

        var (code, _, error) = await CliRunner.RunAsync("run", "--config", config, "--confirm-live");

        Assert.Equal(2, code);
        Assert.Equal("error: --confirm-live given, but no strategy is configured for live trading (mode: live in its file); live_binance trade on paper", error.Trim());
    }

    [Theory]
    [InlineData("signal")]
    [InlineData("schedule")]
    public async Task PaperOnlyCommand_LiveStrategy_ExitsTwoPointingToRunConfirmLive(string command)
    {
        var config = await ConfigAsync("binance", "BTCUSDT", "live");

        var (code, _, error) = await CliRunner.RunAsync(command, "--config", config, "--vault", _dir.File("vault"));

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: strategy live_binance is configured for live trading (mode: live): live strategies trade under `pipeline run --confirm-live`, not `pipeline {command}`",
            error.Trim());
    }

    [Fact]
    public async Task Signal_ConfirmLiveFlag_IsNotAnOptionOfSignal()
    {
        var config = await ConfigAsync("binance", "BTCUSDT", "live");

        var (code, _, _) = await CliRunner.RunAsync("signal", "--config", config, "--vault", _dir.File("vault"), "--confirm-live");

        Assert.Equal(2, code);
    }
}
