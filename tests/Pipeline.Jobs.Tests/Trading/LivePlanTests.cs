using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Trading;

namespace Pipeline.Jobs.Tests.Trading;

public sealed class LivePlanTests
{
    private static readonly StrategyRegistry Registry = StrategyRegistry.CreateDefault();

    private static readonly TradingConfig Testnet = TradingConfig.Default with
    {
        Binance = new Exporter.Binance.Trading.BinanceVenueOptions
        {
            Rest = Exporter.Binance.Trading.BinanceVenueOptions.TestnetRest, UserStream = Exporter.Binance.Trading.BinanceVenueOptions.TestnetUserStream, Testnet = true,
        },
    };

    [Fact]
    public void Decide_OnlyPaperStrategies_NothingLiveNoCredentialsRead()
    {
        var read = new List<string>();
        var live = LivePlan.Decide([Strategy("vwap_btc", "binance", "BTCUSDT", "paper")], TradingConfig.Default, confirmFlag: false,
            name => { read.Add(name); return null; });

        Assert.Empty(live);
        Assert.DoesNotContain(read, n => n.Contains("API", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_ConfirmFlagButNoLiveStrategy_UsageErrorNamingThePaperOnes()
    {
        var ex = Assert.Throws<UsageException>(() => LivePlan.Decide([Strategy("vwap_btc", "binance", "BTCUSDT", "paper")], TradingConfig.Default,
            confirmFlag: true, Env()));
        Assert.Equal("--confirm-live given, but no strategy is configured for live trading (mode: live in its file); vwap_btc trade on paper", ex.Message);
    }

    [Fact]
    public void Decide_LiveNotConfirmed_OneLineWithoutKeyMaterial()
    {
        var (key, secret) = NewKey();
        var ex = Assert.Throws<UsageException>(() => LivePlan.Decide([Strategy("vwap_btc", "binance", "BTCUSDT", "live")], TradingConfig.Default,
            confirmFlag: false, Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret))));

        Assert.Equal("strategy vwap_btc is configured for live trading on binance: confirm with --confirm-live or PIPELINE_CONFIRM_LIVE=1", ex.Message);
    }

    [Fact]
    public void Decide_LiveConfirmedWithoutKeys_OneLineNamingTheVariables()
    {
        var ex = Assert.Throws<UsageException>(() => LivePlan.Decide([Strategy("vwap_eth", "okx", "ETH-USDT-SWAP", "live")], TradingConfig.Default,
            confirmFlag: true, Env()));

        Assert.Equal("live trading refused: no okx API credentials: set PIPELINE_OKX_API_KEY and PIPELINE_OKX_API_SECRET and PIPELINE_OKX_API_PASSPHRASE, or name an owner-only credentials file in PIPELINE_CREDENTIALS_FILE", ex.Message);
    }

    [Fact]
    public void Decide_LiveConfirmedByVariable_BannerNamesMaskedKeyAndTheConfiguredEndpoint()
    {
        var (key, secret) = NewKey();
        var live = LivePlan.Decide(
            [Strategy("vwap_okx", "okx", "BTC-USDT-SWAP", "paper"), Strategy("vwap_btc", "binance", "BTCUSDT", "live")], Testnet, confirmFlag: false,
            Env(("PIPELINE_CONFIRM_LIVE", "1"), ("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)));

        var one = Assert.Single(live);
        Assert.Equal("vwap_btc", one.Strategy.Id);
        Assert.Equal(new LiveTarget("binance", new Uri("https://testnet.binancefuture.com"), true), one.Target);
        Assert.True(one.Decision.IsLive);
        Assert.Contains("!!! LIVE TRADING (TESTNET): strategy vwap_btc on binance", one.Decision.Banner, StringComparison.Ordinal);
        Assert.Contains($"API key ****{key[^4..]} (environment)", one.Decision.Banner, StringComparison.Ordinal);
        Assert.Contains("endpoint : https://testnet.binancefuture.com", one.Decision.Banner, StringComparison.Ordinal);
        Assert.DoesNotContain(key, one.Decision.Banner, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, one.Decision.Banner, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TwoLiveStrategiesOnOneInstrument_UsageError()
    {
        var (key, secret) = NewKey();
        var ex = Assert.Throws<UsageException>(() => LivePlan.Decide(
            [Strategy("vwap_a", "binance", "BTCUSDT", "live"), Strategy("vwap_b", "binance", "BTCUSDT", "live")], TradingConfig.Default, confirmFlag: true,
            Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret))));

        Assert.StartsWith("strategies vwap_a and vwap_b both trade BTCUSDT on binance live", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PaperOnlyRefusal_LiveStrategy_SaysWhereLiveStrategiesTrade()
    {
        Assert.Null(LivePlan.PaperOnlyRefusal([Strategy("vwap_btc", "binance", "BTCUSDT", "paper")], "signal"));
        Assert.Equal("strategy vwap_btc is configured for live trading (mode: live): live strategies trade under `pipeline run --confirm-live`, not `pipeline signal`",
            LivePlan.PaperOnlyRefusal([Strategy("vwap_btc", "binance", "BTCUSDT", "live")], "signal"));
    }

    internal static StrategyConfig Strategy(string id, string exchange, string instId, string mode) =>
        Registry.Parse($"id: {id}\nstrategy: vwap_mean_reversion\nexchange: {exchange}\ninstId: {instId}\nmode: {mode}\n", id + ".yaml");

    internal static (string Key, string Secret) NewKey()
    {
        var id = Guid.NewGuid().ToString("N");
        return ("plankey" + id, "plansecret" + id);
    }

    internal static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
