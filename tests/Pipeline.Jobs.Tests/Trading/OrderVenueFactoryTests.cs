using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Trading;

namespace Pipeline.Jobs.Tests.Trading;

public sealed class OrderVenueFactoryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TradingConfig Config(string yaml)
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, yaml);
        return PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path).Trading;
    }

    [Fact]
    public void Target_Defaults_ProductionRestOfTheStrategysExchange()
    {
        var trading = Config("vault: v\n");

        Assert.Equal(new LiveTarget("binance", new Uri("https://fapi.binance.com"), false),
            OrderVenueFactory.Target(LivePlanTests.Strategy("a", "binance", "BTCUSDT", "live"), trading));
        Assert.Equal(new LiveTarget("okx", new Uri("https://www.okx.com"), false),
            OrderVenueFactory.Target(LivePlanTests.Strategy("b", "okx", "BTC-USDT-SWAP", "live"), trading));
    }

    [Fact]
    public void Target_TestnetAndDemo_TestnetRestAndTheFlag()
    {
        var trading = Config("trading:\n  binance:\n    testnet: true\n  okx:\n    demo: true\n");

        Assert.Equal(new LiveTarget("binance", new Uri("https://testnet.binancefuture.com"), true),
            OrderVenueFactory.Target(LivePlanTests.Strategy("a", "binance", "BTCUSDT", "live"), trading));
        Assert.Equal(new LiveTarget("okx", new Uri("https://www.okx.com"), true),
            OrderVenueFactory.Target(LivePlanTests.Strategy("b", "okx", "BTC-USDT-SWAP", "live"), trading));
    }

    [Fact]
    public void Target_ExplicitEndpoints_ThoseEndpoints()
    {
        var trading = Config("trading:\n  binance:\n    rest: http://127.0.0.1:9100\n  okx:\n    rest: http://127.0.0.1:9200\n");

        Assert.Equal(new Uri("http://127.0.0.1:9100"), OrderVenueFactory.Target(LivePlanTests.Strategy("a", "binance", "BTCUSDT", "live"), trading).Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:9200"), OrderVenueFactory.Target(LivePlanTests.Strategy("b", "okx", "BTC-USDT-SWAP", "live"), trading).Endpoint);
    }

    [Fact]
    public async Task Create_LiveDecision_TheStrategysVenue()
    {
        var trading = Config("trading:\n  binance:\n    testnet: true\n");
        var (key, secret) = LivePlanTests.NewKey();
        var live = LivePlan.Decide(
            [LivePlanTests.Strategy("a", "binance", "BTCUSDT", "live"), LivePlanTests.Strategy("b", "okx", "BTC-USDT-SWAP", "live")], trading, true,
            LivePlanTests.Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret),
                ("PIPELINE_OKX_API_KEY", key), ("PIPELINE_OKX_API_SECRET", secret), ("PIPELINE_OKX_API_PASSPHRASE", "pass" + secret)));

        await using var binance = OrderVenueFactory.Create(live[0].Strategy, trading, live[0].Decision, TimeProvider.System);
        await using var okx = OrderVenueFactory.Create(live[1].Strategy, trading, live[1].Decision, TimeProvider.System);

        Assert.IsType<BinanceOrderVenue>(binance);
        Assert.Equal(TradingVenues.Binance, binance.Venue);
        Assert.IsType<OkxOrderVenue>(okx);
        Assert.Equal(TradingVenues.Okx, okx.Venue);
    }

    [Fact]
    public void Create_PaperDecision_Refused()
    {
        var strategy = LivePlanTests.Strategy("a", "binance", "BTCUSDT", "paper");
        var paper = new LiveModeDecision(TradingMode.Paper, null, null, null);

        var ex = Assert.Throws<InvalidOperationException>(() => OrderVenueFactory.Create(strategy, TradingConfig.Default, paper, TimeProvider.System));
        Assert.Equal("strategy a is not cleared for live trading: no order venue", ex.Message);
    }

    [Fact]
    public void Create_CredentialsOfAnotherVenue_Refused()
    {
        var (key, secret) = LivePlanTests.NewKey();
        var okxKeys = ApiCredentials.Create("okx", key, secret, "pass", "environment");
        var decision = new LiveModeDecision(TradingMode.Live, okxKeys, "banner", null);

        var ex = Assert.Throws<InvalidOperationException>(() =>
            OrderVenueFactory.Create(LivePlanTests.Strategy("a", "binance", "BTCUSDT", "live"), TradingConfig.Default, decision, TimeProvider.System));
        Assert.Equal("strategy a trades on binance, but the credentials are for okx", ex.Message);
    }
}
