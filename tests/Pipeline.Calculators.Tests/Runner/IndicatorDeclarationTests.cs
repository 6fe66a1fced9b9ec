using System.Text.Json;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Runner;

namespace Pipeline.Calculators.Tests.Runner;

/// <summary>The indicators the runner declares (for status) are the ones it runs, writing the fields they declare.</summary>
public sealed class IndicatorDeclarationTests
{
    [Fact]
    public void Indicators_DefaultOptions_StageTwoInRunOrderWithTheirWarmUps()
    {
        var indicators = CalculatorRunner.Indicators(new CalcOptions());
        Assert.Equal(CalculatorRunner.Calcs.Skip(1), indicators.Select(i => i.Name));
        Assert.Equal([240, 240, 1, 28, 31], indicators.Select(i => i.WarmUpMinutes()));
        Assert.Equal("60m", indicators[1].WarmUpOf("sigma1h").ToString());
        Assert.Equal("session", indicators[0].WarmUpOf("vwapSession").ToString());
        Assert.Equal("none", indicators[2].WarmUpOf("cvdTotal").ToString());
    }

    [Fact]
    public void Indicators_Options_DeclareTheConfiguredAdxPeriodAndMultipliers()
    {
        var indicators = CalculatorRunner.Indicators(new CalcOptions { AdxPeriod = 5, BandMultipliers = [1.5m] });
        Assert.Equal(10, indicators[3].WarmUpOf("adx").Minutes);
        Assert.Equal(60, indicators[1].WarmUpOf("upper1h_1p5").Minutes);
    }

    [Fact]
    public void RunOnce_EveryIndicator_RunsAndWritesExactlyItsDeclaredFields()
    {
        using var v = TestVault.Create();
        var trades = SyntheticTrades.Day(TestVault.Day1, 3_000);
        v.Append(trades);
        v.Watermark(trades.Max(t => t.Ts) + 120_000);
        var result = v.Calc();
        var indicators = CalculatorRunner.Indicators(new CalcOptions());
        Assert.Equal(indicators.Select(i => i.Name), result.Stages.Skip(1).Select(s => s.Calc));
        foreach (var indicator in indicators)
        {
            var lines = v.Lines(indicator.Name, TestVault.Day1);
            Assert.NotEmpty(lines);
            var fields = JsonDocument.Parse(lines[^1]).RootElement.EnumerateObject().Select(p => p.Name).Skip(3);
            Assert.Equal(indicator.Outputs.Select(o => o.Field), fields);
        }
    }
}
