using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

public sealed class TradingConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TradingConfig Load(string? yaml, Dictionary<string, string>? environment = null)
    {
        string? file = null;
        if (yaml is not null)
        {
            file = _dir.File("pipeline.yaml");
            File.WriteAllText(file, yaml);
        }

        return PipelineConfigLoader.Load(file, environment ?? [], [], _dir.Path).Trading;
    }

    private string Invalid(string yaml, Dictionary<string, string>? environment = null)
    {
        var message = Assert.Throws<UsageException>(() => Load(yaml, environment)).Message;
        Assert.DoesNotContain('\n', message);
        return message;
    }

    [Fact]
    public void Load_NoTradingSection_ProductionEndpoints()
    {
        var trading = Load(null);

        Assert.Equal(new Uri("https://fapi.binance.com"), trading.Binance.Rest);
        Assert.Equal(new Uri("wss://fstream.binance.com"), trading.Binance.UserStream);
        Assert.False(trading.Binance.Testnet);
        Assert.Equal(new Uri("https://www.okx.com"), trading.Okx.Rest);
        Assert.Equal(new Uri("wss://ws.okx.com:8443/ws/v5/private"), trading.Okx.PrivateWs);
        Assert.False(trading.Okx.Demo);
        Assert.Equal("cross", trading.Okx.TdMode);
        Assert.Null(trading.CredentialsFile);
        Assert.Equal(TimeSpan.FromMilliseconds(500), trading.Poll);
        Assert.Equal(TradingConfig.Default, trading);
    }

    [Fact]
    public void Load_TestnetAndDemoWithoutEndpoints_TestnetAndDemoEndpoints()
    {
        var trading = Load("""
            trading:
              binance:
                testnet: true
              okx:
                demo: true
            """);

        Assert.Equal((BinanceVenueOptions.TestnetRest, BinanceVenueOptions.TestnetUserStream, true),
            (trading.Binance.Rest, trading.Binance.UserStream, trading.Binance.Testnet));
        Assert.Equal(new Uri("https://testnet.binancefuture.com"), trading.Binance.Rest);
        // OKX demo trading uses the production REST host with x-simulated-trading: 1; only the WebSocket host differs.
        Assert.Equal((OkxVenueOptions.ProductionRest, new Uri("wss://wspap.okx.com:8443/ws/v5/private"), true),
            (trading.Okx.Rest, trading.Okx.PrivateWs, trading.Okx.Demo));
    }

    [Fact]
    public void Load_ExplicitEndpointsWithTestnet_ExplicitEndpointsWin()
    {
        var trading = Load("""
            trading:
              binance:
                rest: http://127.0.0.1:9100
                userStream: ws://127.0.0.1:9100
                testnet: true
              okx:
                rest: http://127.0.0.1:9200
                privateWs: ws://127.0.0.1:9200/ws/v5/private
                demo: true
                tdMode: isolated
              credentialsFile: keys/pipeline.env
              pollMs: 200
            """);

        Assert.Equal((new Uri("http://127.0.0.1:9100"), new Uri("ws://127.0.0.1:9100"), true),
            (trading.Binance.Rest, trading.Binance.UserStream, trading.Binance.Testnet));
        Assert.Equal((new Uri("http://127.0.0.1:9200"), new Uri("ws://127.0.0.1:9200/ws/v5/private"), true, "isolated"),
            (trading.Okx.Rest, trading.Okx.PrivateWs, trading.Okx.Demo, trading.Okx.TdMode));
        Assert.Equal(_dir.File("keys", "pipeline.env"), trading.CredentialsFile);
        Assert.Equal(TimeSpan.FromMilliseconds(200), trading.Poll);
    }

    [Fact]
    public void Load_EnvironmentOverridesTheFile()
    {
        var trading = Load("trading:\n  binance:\n    rest: http://127.0.0.1:9100\n  pollMs: 200\n", new Dictionary<string, string>
        {
            ["PIPELINE_TRADING__BINANCE__REST"] = "http://127.0.0.1:9300",
            ["PIPELINE_TRADING__BINANCE__TESTNET"] = "true",
            ["PIPELINE_TRADING__OKX__DEMO"] = "true",
            ["PIPELINE_TRADING__POLLMS"] = "1000",
            ["PIPELINE_TRADING__CREDENTIALSFILE"] = "/etc/pipeline/keys.env",
        });

        Assert.Equal(new Uri("http://127.0.0.1:9300"), trading.Binance.Rest);
        Assert.Equal(BinanceVenueOptions.TestnetUserStream, trading.Binance.UserStream);
        Assert.Equal(OkxVenueOptions.DemoPrivateWs, trading.Okx.PrivateWs);
        Assert.Equal(TimeSpan.FromSeconds(1), trading.Poll);
        Assert.Equal(Path.GetFullPath("/etc/pipeline/keys.env"), trading.CredentialsFile);
    }

    [Theory]
    [InlineData("trading:\n  okx:\n    tdMode: cash\n", "trading.okx.tdMode: 'cash' is not a trade mode (cross or isolated)")]
    [InlineData("trading:\n  binance:\n    userStream: https://fstream.binance.com\n", "trading.binance.userStream: 'https://fstream.binance.com' is not an absolute ws or wss URL")]
    [InlineData("trading:\n  binance:\n    rest: fapi.binance.com\n", "trading.binance.rest: 'fapi.binance.com' is not an absolute http or https URL")]
    [InlineData("trading:\n  okx:\n    privateWs: http://127.0.0.1:1/ws/v5/private\n", "trading.okx.privateWs: 'http://127.0.0.1:1/ws/v5/private' is not an absolute ws or wss URL")]
    [InlineData("trading:\n  binance:\n    testnet: yes please\n", "trading.binance.testnet: 'yes please' is not true or false")]
    [InlineData("trading:\n  pollMs: 10\n", "trading.pollMs: '10' is not a whole number from 50 to 60000")]
    public void Load_InvalidValue_OneLineNamingKeyAndSource(string yaml, string problem)
    {
        var message = Invalid(yaml);
        Assert.StartsWith(_dir.File("pipeline.yaml") + ":", message, StringComparison.Ordinal);
        Assert.EndsWith(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownTradingKey_NamesTheKnownOnes()
    {
        var message = Invalid("trading:\n  binance:\n    apiKey: abc\n");
        Assert.Contains("unknown key 'trading.binance.apiKey'", message, StringComparison.Ordinal);
        Assert.Contains("rest, userStream, testnet", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidEnvironmentValue_NamesTheVariable()
    {
        var message = Invalid("vault: v\n", new Dictionary<string, string> { ["PIPELINE_TRADING__OKX__TDMODE"] = "portfolio" });
        Assert.Equal("environment variable PIPELINE_TRADING__OKX__TDMODE: trading.okx.tdMode: 'portfolio' is not a trade mode (cross or isolated)", message);
    }
}
