using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Testing;

namespace Pipeline.Jobs.Tests.Execution.Risk;

public sealed class RiskLimitsTests
{
    private const string Head = "id: vwap_mean_reversion\nexchange: okx\ninstId: BTC-USDT-SWAP\n";

    private static StrategyConfig Parse(string risk) => StrategyRegistry.CreateDefault().Parse(Head + risk, "test.yaml");

    [Fact]
    public void Parse_NoRiskSection_GivesTheDocumentedDefaults()
    {
        var risk = Parse("").Risk;
        Assert.Null(risk.DailyLossLimit);
        Assert.False(risk.FlattenOnDailyLoss);
        Assert.Null(risk.MaxPositionQty);
        Assert.Null(risk.MaxNotional);
        Assert.Null(risk.MaxTotalNotional);
        Assert.Equal(60, risk.MaxOrdersPerMinute);
        Assert.Equal(0.15m, risk.VolatilityHaltPct);
        Assert.Equal(TimeSpan.FromSeconds(5), risk.VolatilityWindow);
        Assert.Equal(TimeSpan.FromMinutes(10), risk.VolatilityHaltFor);
        Assert.Empty(risk.Maintenance);
        Assert.Empty(risk.FlattenAt);
    }

    [Fact]
    public void Parse_EveryKey_IsRead()
    {
        var risk = Parse("""
            risk:
              dailyLossLimit: 50
              flattenOnDailyLoss: true
              maxPositionQty: 0.05
              maxNotional: 5000
              maxTotalNotional: 8000
              maxOrdersPerMinute: off
              volatilityHaltPct: 0.2
              volatilityWindow: 10s
              volatilityHaltFor: 30m
              maintenance: ["Sun 23:00-23:30", "23:50-00:10"]
              flattenAt: "23:55"
            """).Risk;
        Assert.Equal((50m, true, 0.05m, 5000m, 8000m, (int?)null), (risk.DailyLossLimit, risk.FlattenOnDailyLoss, risk.MaxPositionQty,
            risk.MaxNotional, risk.MaxTotalNotional, risk.MaxOrdersPerMinute));
        Assert.Equal((0.2m, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30)), (risk.VolatilityHaltPct, risk.VolatilityWindow, risk.VolatilityHaltFor));
        Assert.Equal(["Sun 23:00-23:30", "23:50-00:10"], risk.Maintenance.Select(m => m.Text));
        Assert.Equal(["23:55"], risk.FlattenAt.Select(m => m.Text));
        Assert.Null(Parse("risk:\n  volatilityHaltPct: off\n").Risk.VolatilityHaltPct);
    }

    [Theory]
    [InlineData("dailyLossLimit: -5", "risk.dailyLossLimit")]
    [InlineData("dailyLossLimit: lots", "risk.dailyLossLimit")]
    [InlineData("maxOrdersPerMinute: 0", "risk.maxOrdersPerMinute")]
    [InlineData("volatilityWindow: 2m", "risk.volatilityWindow")]
    [InlineData("maintenance: [\"Sunday 23:00-23:30\"]", "risk.maintenance")]
    [InlineData("flattenAt: 25:00", "risk.flattenAt")]
    [InlineData("maxPositon: 1", "risk.maxPositon")]
    public void Parse_BadValue_NamesTheKey(string line, string key)
    {
        var ex = Assert.Throws<StrategyConfigException>(() => Parse("risk:\n  " + line + "\n"));
        Assert.Equal(key, ex.Key);
        Assert.StartsWith("test.yaml: " + key + ": ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_BadRiskValue_ExitsTwoWithOneLineNamingTheKey()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.yaml");
        await File.WriteAllTextAsync(file, Head + "risk:\n  maxNotional: 0\n");

        var (code, _, error) = await CliRunner.RunAsync("signal", "--vault", dir.File("vault"), "--strategy", file);

        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("risk.maxNotional: 0 is out of range", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedStrategyFile_RiskSection_HoldsTheDefaults()
    {
        var config = StrategyRegistry.CreateDefault().Load(Path.Combine(RepoPaths.Root(), "config", "strategies", "vwap_mean_reversion.yaml"));

        Assert.Equal(RiskLimits.Default with { Maintenance = config.Risk.Maintenance, FlattenAt = config.Risk.FlattenAt }, config.Risk);
        Assert.Empty(config.Risk.Maintenance);
        Assert.Empty(config.Risk.FlattenAt);
    }
}
