using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Trading;

namespace Pipeline.Jobs.Tests.Trading;

public sealed class LiveModeGateTests
{
    private static readonly LiveTarget Binance = new("binance", new Uri("https://fapi.binance.com"), Testnet: false);
    private static readonly LiveTarget OkxDemo = new("okx", new Uri("https://www.okx.com"), Testnet: true);

    [Fact]
    public void Decide_PaperConfig_PaperWithoutCredentials()
    {
        var decision = LiveModeGate.Decide(TradingMode.Paper, confirmFlag: false, Env(), Binance, "vwap-btc");

        Assert.Equal(new LiveModeDecision(TradingMode.Paper, null, null, null), decision);
        Assert.False(decision.IsLive);
    }

    [Fact]
    public void Decide_PaperConfigWithConfirmVariable_PaperAndSaysSo()
    {
        var (key, secret) = NewKey();
        var decision = LiveModeGate.Decide(TradingMode.Paper, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", "1"), ("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)), Binance, "vwap-btc");

        Assert.Equal(TradingMode.Paper, decision.Mode);
        Assert.Null(decision.Credentials);
        Assert.Equal("PIPELINE_CONFIRM_LIVE is set, but strategy vwap-btc is configured for paper trading: trading on paper", decision.Note);
    }

    [Fact]
    public void Decide_PaperConfigWithConfirmFlag_UsageError()
    {
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Paper, confirmFlag: true, Env(), Binance, "vwap-btc"));
        Assert.Equal("--confirm-live given, but strategy vwap-btc is configured for paper trading; set its mode to live to trade live", ex.Message);
    }

    [Fact]
    public void Decide_LiveConfigWithoutConfirmation_UsageErrorNamingBothWays()
    {
        var (key, secret) = NewKey();
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Live, confirmFlag: false,
            Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)), Binance, "vwap-btc"));

        Assert.Equal("strategy vwap-btc is configured for live trading on binance: confirm with --confirm-live or PIPELINE_CONFIRM_LIVE=1", ex.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public void Decide_LiveConfigConfirmVariableNotOne_NotConfirmed(string value)
    {
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Live, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", value)), Binance, "vwap-btc"));
        Assert.StartsWith("strategy vwap-btc is configured for live trading", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ConfirmVariableTypo_UsageError()
    {
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Live, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", "yes")), Binance, "vwap-btc"));
        Assert.Equal("PIPELINE_CONFIRM_LIVE must be 1 to confirm live trading (or unset), not 'yes'", ex.Message);
    }

    [Fact]
    public void Decide_LiveConfirmedWithoutCredentials_UsageErrorNamingVariables()
    {
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Live, confirmFlag: true, Env(), Binance, "vwap-btc"));

        Assert.Equal("live trading refused: no binance API credentials: set PIPELINE_BINANCE_API_KEY and PIPELINE_BINANCE_API_SECRET, " +
            "or name an owner-only credentials file in PIPELINE_CREDENTIALS_FILE", ex.Message);
    }

    [Fact]
    public void Decide_LiveConfirmedIncompleteCredentials_NamesMissingNeverValue()
    {
        var (key, _) = NewKey();
        var ex = Assert.Throws<UsageException>(() => LiveModeGate.Decide(TradingMode.Live, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", "1"), ("PIPELINE_OKX_API_KEY", key)), OkxDemo, "vwap-eth"));

        Assert.Equal("live trading refused: okx API credentials from environment are incomplete: set PIPELINE_OKX_API_SECRET and PIPELINE_OKX_API_PASSPHRASE", ex.Message);
        Assert.DoesNotContain(key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LiveConfirmedByFlag_LiveWithBannerNamingMaskedKeyAndEndpoint()
    {
        var (key, secret) = NewKey();
        var decision = LiveModeGate.Decide(TradingMode.Live, confirmFlag: true,
            Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)), Binance, "vwap-btc");

        Assert.True(decision.IsLive);
        Assert.NotNull(decision.Credentials);
        Assert.Equal("binance", decision.Credentials.Venue);
        var banner = decision.Banner!;
        Assert.Contains("LIVE TRADING (REAL MONEY): strategy vwap-btc on binance", banner, StringComparison.Ordinal);
        Assert.Contains($"account  : API key ****{key[^4..]} (environment)", banner, StringComparison.Ordinal);
        Assert.Contains("endpoint : https://fapi.binance.com", banner, StringComparison.Ordinal);
        Assert.DoesNotContain(key, banner, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, banner, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LiveConfirmedByVariableOnOkxDemo_BannerSaysDemoTrading()
    {
        var (key, secret) = NewKey();
        var decision = LiveModeGate.Decide(TradingMode.Live, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", "1"), ("PIPELINE_OKX_API_KEY", key), ("PIPELINE_OKX_API_SECRET", secret),
                ("PIPELINE_OKX_API_PASSPHRASE", "passphrase-" + secret)), OkxDemo, "vwap-eth");

        Assert.True(decision.IsLive);
        Assert.Contains("LIVE TRADING (DEMO TRADING): strategy vwap-eth on okx", decision.Banner, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_EndpointWithUserInfo_BannerRedactsIt()
    {
        var (key, secret) = NewKey();
        var target = Binance with { Endpoint = new Uri("https://user:hunter2hunter2@testnet.binancefuture.com"), Testnet = true };

        var decision = LiveModeGate.Decide(TradingMode.Live, confirmFlag: true,
            Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)), target, "vwap-btc");

        Assert.Contains("endpoint : https://***@testnet.binancefuture.com", decision.Banner, StringComparison.Ordinal);
        Assert.Contains("(TESTNET)", decision.Banner, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, TradingMode.Paper)]
    [InlineData("", TradingMode.Paper)]
    [InlineData("paper", TradingMode.Paper)]
    [InlineData(" LIVE ", TradingMode.Live)]
    public void Parse_Mode_Known(string? text, TradingMode expected) => Assert.Equal(expected, TradingModes.Parse(text, "strategy x"));

    [Fact]
    public void Parse_UnknownMode_UsageError()
    {
        var ex = Assert.Throws<UsageException>(() => TradingModes.Parse("real", "config/strategies/x.yaml"));
        Assert.Equal("config/strategies/x.yaml: mode must be paper or live, not 'real'", ex.Message);
    }

    private static (string Key, string Secret) NewKey()
    {
        var id = Guid.NewGuid().ToString("N");
        return ("gatekey" + id, "gatesecret" + id);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
