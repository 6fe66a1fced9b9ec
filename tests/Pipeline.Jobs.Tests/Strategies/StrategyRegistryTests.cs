using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;

namespace Pipeline.Jobs.Tests.Strategies;

public sealed class StrategyRegistryTests : IDisposable
{
    private const string Minimal = "id: vwap_mean_reversion\nstrategy: vwap_mean_reversion\nexchange: okx\ninstId: BTC-USDT-SWAP\n";

    private readonly TempDir _dir = new();
    private readonly StrategyRegistry _registry = StrategyRegistry.CreateDefault();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_CommittedConfigFile_HoldsTheDocumentedDefaults()
    {
        var config = _registry.Load(Path.Combine(RepoPaths.Root(), "config", "strategies", "vwap_mean_reversion.yaml"));
        Assert.Equal(("vwap_mean_reversion", "vwap_mean_reversion", "okx", "BTC-USDT-SWAP"), (config.Id, config.Strategy, config.Exchange, config.InstId));
        Assert.Equal(new ExecutionSettings(), config.Execution);
        Assert.Equal(new VwapMeanReversionParameters(), config.Parameters);
        Assert.IsType<VwapMeanReversionStrategy>(config.CreateStrategy());
    }

    [Fact]
    public void Parse_Minimal_UsesDefaults()
    {
        var config = _registry.Parse(Minimal, "x.yaml");
        var p = (VwapMeanReversionParameters)config.Parameters;
        Assert.Equal((BandWindow.OneHour, 1.5m, 14, 20m, 40m, 15m, TimeSpan.FromMinutes(10)),
            (p.BandWindow, p.BandMultiplier, p.AdxPeriod, p.AdxMax, p.AdxNoTrade, p.HaltMoveBps, p.HaltDuration));
        var x = config.Execution;
        Assert.Equal((0.6m, 0.3m, false, 0.02m, 0.05m, 1000m, TimeSpan.FromSeconds(60)),
            (x.TakeProfitPct, x.StopLossPct, x.ExitAtVwap, x.MakerFeePct, x.TakerFeePct, x.Notional, x.EntryTtl));
        Assert.Equal((0.006m, 0.003m, 0.0002m, 0.0005m), (x.TakeProfitRate, x.StopLossRate, x.MakerFeeRate, x.TakerFeeRate));
    }

    [Fact]
    public void Parse_AllKeys_AreRead()
    {
        var config = _registry.Parse(Minimal + """
            parameters:
              bandWindow: session
              bandMultiplier: 2
              adxMax: 25
              adxNoTrade: 45
              haltMoveBps: 20
              haltDuration: 5m
              entryTtl: 90s
              takeProfitPct: 1
              stopLossPct: 0.5
              exitAtVwap: true
              makerFeePct: 0.01
              takerFeePct: 0.04
              notional: 250.5
              maxTradesPerDay: 3
              maxDailyLossPct: 1.5
            """, "x.yaml");
        var p = (VwapMeanReversionParameters)config.Parameters;
        Assert.Equal((BandWindow.Session, 2m, 25m, 45m, 20m, TimeSpan.FromMinutes(5)),
            (p.BandWindow, p.BandMultiplier, p.AdxMax, p.AdxNoTrade, p.HaltMoveBps, p.HaltDuration));
        var x = config.Execution;
        Assert.Equal((TimeSpan.FromSeconds(90), 1m, 0.5m, true, 0.01m, 0.04m, 250.5m, 3, 1.5m),
            (x.EntryTtl, x.TakeProfitPct, x.StopLossPct, x.ExitAtVwap, x.MakerFeePct, x.TakerFeePct, x.Notional, x.MaxTradesPerDay, x.MaxDailyLossPct));
    }

    [Theory]
    [InlineData("parameters:\n  bandMultiplier: abc\n", "parameters.bandMultiplier", "'abc' is not a number")]
    [InlineData("parameters:\n  bandMultiplier: -1\n", "parameters.bandMultiplier", "out of range")]
    [InlineData("parameters:\n  adxMx: 20\n", "parameters.adxMx", "unknown key")]
    [InlineData("parameters:\n  bandWindow: 2h\n", "parameters.bandWindow", "not one of 1h, 4h, session")]
    [InlineData("parameters:\n  adxMax: 30\n  adxNoTrade: 25\n", "parameters.adxNoTrade", "must be >= adxMax")]
    [InlineData("parameters:\n  entryTtl: soon\n", "parameters.entryTtl", "not a duration")]
    [InlineData("parameters:\n  exitAtVwap: maybe\n", "parameters.exitAtVwap", "not true or false")]
    [InlineData("parameters:\n  maxTradesPerDay: 1.5\n", "parameters.maxTradesPerDay", "not a whole number")]
    [InlineData("parameters:\n  notional: 0\n", "parameters.notional", "out of range")]
    [InlineData("parameters: [1, 2]\n", "parameters", "must be a mapping")]
    [InlineData("colour: blue\n", "colour", "unknown key")]
    public void Parse_InvalidValue_ErrorNamesFileAndKey(string extra, string key, string problem)
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Parse(Minimal + extra, "config/strategies/x.yaml"));
        Assert.Equal(key, ex.Key);
        Assert.Equal("config/strategies/x.yaml", ex.File);
        Assert.StartsWith($"config/strategies/x.yaml: {key}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingInstId_NamesTheKey()
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Parse("id: a\nstrategy: vwap_mean_reversion\nexchange: okx\n", "f.yaml"));
        Assert.Equal(("instId", "f.yaml: instId: is required"), (ex.Key, ex.Message));
    }

    [Fact]
    public void Parse_UnknownStrategy_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<StrategyConfigException>(() =>
            _registry.Parse("id: a\nstrategy: momentum\nexchange: okx\ninstId: BTCUSDT\n", "f.yaml"));
        Assert.Equal("strategy", ex.Key);
        Assert.Contains("unknown strategy 'momentum'; known: micro_mr, vwap_mean_reversion", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadExchange_NamesTheKey()
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Parse("id: a\nstrategy: vwap_mean_reversion\nexchange: kraken\ninstId: X\n", "f.yaml"));
        Assert.Equal("exchange", ex.Key);
    }

    [Fact]
    public void Parse_NotYaml_SaysWhere()
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Parse("id: [unclosed\n", "f.yaml"));
        Assert.Contains("not valid YAML at line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ClearError()
    {
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.Load(_dir.File("nope.yaml")));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_TwoFiles_SortedAndDuplicateIdsRefused()
    {
        File.WriteAllText(_dir.File("b.yaml"), Minimal.Replace("vwap_mean_reversion\nstrategy", "beta\nstrategy", StringComparison.Ordinal));
        File.WriteAllText(_dir.File("a.yaml"), Minimal);
        File.WriteAllText(_dir.File("notes.txt"), "not a strategy");
        Assert.Equal(["vwap_mean_reversion", "beta"], _registry.LoadAll(_dir.Path).Select(c => c.Id));

        File.WriteAllText(_dir.File("c.yml"), Minimal);
        var ex = Assert.Throws<StrategyConfigException>(() => _registry.LoadAll(_dir.Path));
        Assert.Equal("id", ex.Key);
    }

    [Fact]
    public void Register_AnotherStrategy_IsLookedUpByName()
    {
        _registry.Register("always_flat", p => p.Number("level", 1m, _ => true, "any"), _ => new FlatStrategy());
        var config = _registry.Parse("id: flat1\nstrategy: always_flat\nexchange: binance\ninstId: BTCUSDT\nparameters:\n  level: 3\n", "f.yaml");
        Assert.Equal((3m, "always_flat"), ((decimal)config.Parameters, config.CreateStrategy().Name));
    }

    private sealed class FlatStrategy : IStrategy
    {
        public string Name => "always_flat";

        public StrategySignal Evaluate(MinuteInputs minute) => new(SignalAction.None, "flat", null, null);

        public System.Text.Json.JsonElement? SaveState() => null;

        public void RestoreState(System.Text.Json.JsonElement? state)
        {
        }
    }
}
