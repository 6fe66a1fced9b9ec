using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

public sealed class PipelineConfigLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Load(string? yaml, Dictionary<string, string>? environment = null, params ConfigOverride[] flags)
    {
        string? file = null;
        if (yaml is not null)
        {
            file = _dir.File("test.yaml");
            File.WriteAllText(file, yaml);
        }

        return PipelineConfigLoader.Load(file, environment ?? NoEnvironment, flags, _dir.Path);
    }

    private UsageException Invalid(string? yaml, Dictionary<string, string>? environment = null, params ConfigOverride[] flags) =>
        Assert.Throws<UsageException>(() => Load(yaml, environment, flags));

    [Fact]
    public void Load_NoFile_BuiltInDefaults()
    {
        var config = Load(null);
        Assert.Null(config.SourceFile);
        Assert.Equal(Path.Combine(_dir.Path, "vault-data"), config.Vault);
        Assert.Equal(["okx", "binance"], config.Exchanges.Select(e => e.Name));
        Assert.All(config.Exchanges, e => Assert.True(e.Enabled));
        Assert.Equal(["BTC-USDT-SWAP", "ETH-USDT-SWAP"], config.Exchanges[0].Instruments);
        Assert.Equal("trades-all", config.Exchanges[0].Channel);
        Assert.Null(config.Exchanges[1].Channel);
        Assert.Equal(EndpointsConfig.Production, config.Endpoints);
        Assert.Equal(new Uri("wss://ws.okx.com:8443/ws/v5/business"), config.Endpoints.OkxWsBusiness);
        Assert.Equal(new Uri("https://fapi.binance.com"), config.Endpoints.BinanceRest);
        Assert.Equal("4 * * * * ?", config.Schedule.Calculators);
        Assert.False(config.Schedule.AllowFastSchedule);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Calculators.Lateness);
        Assert.Equal(0, config.Calculators.SessionHour);
        Assert.Empty(config.Strategies);
    }

    [Fact]
    public void Load_ImplicitPipelineYamlInWorkingDirectory_IsRead()
    {
        File.WriteAllText(_dir.File("pipeline.yaml"), "calculators:\n  sessionHour: 8\n");
        var config = PipelineConfigLoader.Load(null, NoEnvironment, [], _dir.Path);
        Assert.Equal(_dir.File("pipeline.yaml"), config.SourceFile);
        Assert.Equal(8, config.Calculators.SessionHour);
    }

    [Fact]
    public void Load_File_SetsEverySection()
    {
        Directory.CreateDirectory(_dir.File("config", "strategies"));
        File.WriteAllText(_dir.File("config", "strategies", "vwap.yaml"), "name: vwap\n");
        var config = Load("""
            vault: /srv/vault
            exchanges:
              okx:
                enabled: true
                instruments:
                  - SOL-USDT-SWAP
                channel: trades
              binance:
                enabled: false
                instruments: []
            endpoints:
              okxWsPublic: ws://127.0.0.1:9000/ws/v5/public
              binanceRest: http://127.0.0.1:9001
            schedule:
              calculators: "0 */5 * * * ?"
              compaction: "0 0 2 * * ?"
            calculators:
              latenessSeconds: 0.5
              sessionHour: 13
            strategies: [config/strategies/vwap.yaml]
            """);
        Assert.Equal("/srv/vault", config.Vault);
        Assert.Equal(["SOL-USDT-SWAP"], config.Exchanges[0].Instruments);
        Assert.Equal("trades", config.Exchanges[0].Channel);
        Assert.False(config.Exchanges[1].Enabled);
        Assert.Equal(["okx"], config.EnabledExchanges.Select(e => e.Name));
        Assert.Equal(new Uri("ws://127.0.0.1:9000/ws/v5/public"), config.Endpoints.OkxWsPublic);
        Assert.Equal(new Uri("http://127.0.0.1:9001"), config.Endpoints.BinanceRest);
        Assert.Equal(EndpointsConfig.Production.OkxRest, config.Endpoints.OkxRest);
        Assert.Equal("0 */5 * * * ?", config.Schedule.Calculators);
        Assert.Equal("0 0 2 * * ?", config.Schedule.Compaction);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Calculators.Lateness);
        Assert.Equal(13, config.Calculators.SessionHour);
        Assert.Equal([_dir.File("config", "strategies", "vwap.yaml")], config.Strategies);
    }

    [Fact]
    public void Load_EnvironmentVariable_BeatsFile()
    {
        var config = Load("vault: from-file\nschedule:\n  calculators: \"0 */2 * * * ?\"\n",
            new Dictionary<string, string>
            {
                ["PIPELINE_VAULT"] = "/from/env",
                ["PIPELINE_SCHEDULE__CALCULATORS"] = "0 */3 * * * ?",
                ["pipeline_ignored"] = "x",
                ["PIPELINE_EXCHANGES__OKX__INSTRUMENTS"] = "BTC-USDT-SWAP, XRP-USDT-SWAP",
                ["PIPELINE_calculators__SESSIONHOUR"] = "5",
                ["PIPELINE_LOG_LEVEL"] = "debug", // someone else's variable: ignored
            });
        Assert.Equal("/from/env", config.Vault);
        Assert.Equal("0 */3 * * * ?", config.Schedule.Calculators);
        Assert.Equal(["BTC-USDT-SWAP", "XRP-USDT-SWAP"], config.Exchanges[0].Instruments);
        Assert.Equal(5, config.Calculators.SessionHour);
    }

    [Fact]
    public void Load_Flag_BeatsEnvironment()
    {
        var config = Load("vault: from-file\n",
            new Dictionary<string, string> { ["PIPELINE_VAULT"] = "/from/env", ["PIPELINE_SCHEDULE__CALCULATORS"] = "0 */3 * * * ?" },
            new ConfigOverride(ConfigKeys.Vault, "/from/flag", "--vault"),
            new ConfigOverride(ConfigKeys.CalculatorsCron, "0 */4 * * * ?", "--calc-cron"));
        Assert.Equal("/from/flag", config.Vault);
        Assert.Equal("0 */4 * * * ?", config.Schedule.Calculators);
    }

    [Fact]
    public void Load_UnknownKey_ErrorNamesKeyFileAndLine()
    {
        var ex = Invalid("schedule:\n  calculators: \"0 * * * * ?\"\n  calcs: \"0 * * * * ?\"\n");
        Assert.Contains("test.yaml:3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key 'schedule.calcs'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownExchange_ErrorNamesKey()
    {
        var ex = Invalid("exchanges:\n  kraken:\n    enabled: true\n");
        Assert.Contains("exchanges.kraken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ChannelUnderBinance_IsUnknown()
    {
        var ex = Invalid("exchanges:\n  binance:\n    channel: trades\n");
        Assert.Contains("unknown key 'exchanges.binance.channel'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownEnvironmentKey_ErrorNamesVariable()
    {
        var ex = Invalid(null, new Dictionary<string, string> { ["PIPELINE_SCHEDULE__CALCS"] = "0 * * * * ?" });
        Assert.Contains("PIPELINE_SCHEDULE__CALCS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidCron_ErrorNamesKey()
    {
        var ex = Invalid("schedule:\n  compaction: \"every day\"\n");
        Assert.Contains("schedule.compaction", ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml:2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecondsCronWithoutFlag_ErrorNamesKeyAndRule()
    {
        var ex = Invalid("schedule:\n  calculators: \"*/5 * * * * ?\"\n");
        Assert.Contains("schedule.calculators", ex.Message, StringComparison.Ordinal);
        Assert.Contains("allowFastSchedule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CronSlowerThanFiveMinutes_Error()
    {
        var ex = Invalid("schedule:\n  calculators: \"0 0 * * * ?\"\n");
        Assert.Contains("schedule.calculators", ex.Message, StringComparison.Ordinal);
        Assert.Contains("60 min", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecondsCronWithAllowFastSchedule_Accepted()
    {
        var config = Load("schedule:\n  calculators: \"* * * * * ?\"\n  allowFastSchedule: true\n");
        Assert.Equal("* * * * * ?", config.Schedule.Calculators);
        Assert.True(config.Schedule.AllowFastSchedule);
    }

    [Fact]
    public void Load_SecondsCronFromFlagAndFastFromEnvironment_Accepted()
    {
        var config = Load(null, new Dictionary<string, string> { ["PIPELINE_SCHEDULE__ALLOWFASTSCHEDULE"] = "true" },
            new ConfigOverride(ConfigKeys.CalculatorsCron, "*/2 * * * * ?", "--calc-cron"));
        Assert.Equal("*/2 * * * * ?", config.Schedule.Calculators);
    }

    [Fact]
    public void Load_FlagWithBadCron_ErrorNamesFlag()
    {
        var ex = Invalid(null, null, new ConfigOverride(ConfigKeys.CalculatorsCron, "sometimes", "--calc-cron"));
        Assert.StartsWith("--calc-cron: schedule.calculators:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("btc-usdt-swap")]
    [InlineData("BTC/USDT")]
    [InlineData("..")]
    public void Load_BadInstrumentId_ErrorNamesKey(string id)
    {
        var ex = Invalid($"exchanges:\n  okx:\n    instruments: [\"{id}\"]\n");
        Assert.Contains("exchanges.okx.instruments", ex.Message, StringComparison.Ordinal);
        Assert.Contains(id, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateInstrument_Error()
    {
        var ex = Invalid("exchanges:\n  binance:\n    instruments: [BTCUSDT, BTCUSDT]\n");
        Assert.Contains("exchanges.binance.instruments", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("3601")]
    public void Load_BadLateness_ErrorNamesKey(string value)
    {
        var ex = Invalid($"calculators:\n  latenessSeconds: {value}\n");
        Assert.Contains("calculators.latenessSeconds", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calculators:\n  sessionHour: 24\n", "calculators.sessionHour")]
    [InlineData("exchanges:\n  okx:\n    enabled: yes please\n", "exchanges.okx.enabled")]
    [InlineData("exchanges:\n  okx:\n    channel: books\n", "exchanges.okx.channel")]
    [InlineData("endpoints:\n  okxRest: wss://www.okx.com\n", "endpoints.okxRest")]
    [InlineData("endpoints:\n  binanceWs: not a url\n", "endpoints.binanceWs")]
    [InlineData("exchanges:\n  okx:\n    instruments: BTC-USDT-SWAP\n", "exchanges.okx.instruments")]
    [InlineData("schedule: [a, b]\n", "schedule")]
    [InlineData("strategies: [missing.yaml]\n", "strategies")]
    [InlineData("strategies: [notes.txt]\n", "strategies")]
    [InlineData("schedule:\n  drainTimeoutSeconds: 0\n", "schedule.drainTimeoutSeconds")]
    [InlineData("vault: a\nvault: b\n", "Duplicate key vault")]
    public void Load_InvalidValue_ErrorNamesKey(string yaml, string key)
    {
        var ex = Invalid(yaml);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_YamlSyntaxError_NamesFileAndLine()
    {
        var ex = Invalid("schedule:\n  calculators: [unclosed\n");
        Assert.Contains("test.yaml:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingConfigFile_ErrorNamesFlag()
    {
        var ex = Assert.Throws<UsageException>(() => PipelineConfigLoader.Load("nope.yaml", NoEnvironment, [], _dir.Path));
        Assert.StartsWith("--config:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_Defaults()
    {
        var config = Load("# nothing but a comment\n");
        Assert.Equal("4 * * * * ?", config.Schedule.Calculators);
    }

    [Fact]
    public void Load_ExampleFile_ParsesToTheDefaults()
    {
        var example = Path.Combine(RepoPaths.Root(), "config", "pipeline.example.yaml");
        var config = PipelineConfigLoader.Load(example, NoEnvironment, [], _dir.Path);
        var defaults = Load(null);
        Assert.Equal(defaults.Vault, config.Vault);
        Assert.Equal(defaults.Endpoints, config.Endpoints);
        Assert.Equal(defaults.Schedule, config.Schedule);
        Assert.Equal(defaults.Calculators, config.Calculators);
        Assert.Equal(defaults.Trading, config.Trading);
        Assert.Equal(defaults.Exchanges.SelectMany(e => e.Instruments), config.Exchanges.SelectMany(e => e.Instruments));
        Assert.Equal(defaults.Exchanges.Select(e => (e.Name, e.Enabled, e.Channel)), config.Exchanges.Select(e => (e.Name, e.Enabled, e.Channel)));
    }

    [Fact]
    public void EnvironmentName_RoundTripsEveryKey()
    {
        foreach (var key in ConfigKeys.All.Keys)
        {
            Assert.Equal(key, ConfigKeys.FromEnvironmentName(ConfigKeys.EnvironmentName(key)));
        }

        Assert.Equal("PIPELINE_SCHEDULE__CALCULATORS", ConfigKeys.EnvironmentName(ConfigKeys.CalculatorsCron));
    }
}
