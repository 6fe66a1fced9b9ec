using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.MicroMeanReversion;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Strategies;

/// <summary>
/// micro_mr's decisions on hand-made minutes, defaults: |ofi z| ≥ 2 with divergence z ≤ −2 / ≥ 2 on the opposite side,
/// VPIN ≥ 0.6 blocks; λ and depth filters off unless set.
/// </summary>
public sealed class MicroMeanReversionStrategyTests
{
    private readonly MicroMeanReversionStrategy _strategy = new(new MicroMeanReversionParameters());

    private static MinuteInputs Minute(decimal? ofiZ, decimal? divZ, decimal? vpin = 0.3m, decimal? lambda = null,
        decimal? bidDepth = 5m, decimal? askDepth = 5m) =>
        Inputs(0, 1000m) with
        {
            Micro = new MicroInputs { OfiZ = ofiZ, DivergenceZ = divZ, Vpin = vpin, BidDepth = bidDepth, AskDepth = askDepth },
            KyleLambda = lambda,
        };

    [Fact]
    public void Evaluate_BuyingPushAndTradeAboveMicroPrice_ShortFadesIt()
    {
        var signal = _strategy.Evaluate(Minute(2.5m, -2.1m));
        Assert.Equal(SignalAction.EnterShort, signal.Action);
        Assert.Equal("fade buying: ofi z 2.5 ≥ 2 and divergence z -2.1 ≤ −2", signal.Reason);
    }

    [Fact]
    public void Evaluate_SellingPushAndTradeBelowMicroPrice_LongFadesIt()
    {
        var signal = _strategy.Evaluate(Minute(-3.456m, 2m)); // exactly at the threshold enters
        Assert.Equal(SignalAction.EnterLong, signal.Action);
        Assert.Equal("fade selling: ofi z -3.45 ≤ −2 and divergence z 2 ≥ 2", signal.Reason);
    }

    [Theory]
    [InlineData(2.5, 2.5)] // buying and the trade below the micro-price: the book agrees with the push, nothing to fade
    [InlineData(1.99, -3)] // the push is not unusual enough
    [InlineData(-2.5, -2.5)]
    [InlineData(-2.5, 1.999)]
    public void Evaluate_ZScoresNotBothBeyondOnOppositeSides_NoSignal(double ofiZ, double divZ)
    {
        var signal = _strategy.Evaluate(Minute((decimal)ofiZ, (decimal)divZ));
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.StartsWith("no signal: ofi z ", signal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoMicroLine_SaysNoQuotesOrBookRecorded()
    {
        var signal = _strategy.Evaluate(Inputs(0, 1000m));
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("no micro data: no quotes or book recorded for this minute", signal.Reason);
    }

    [Fact]
    public void Evaluate_DivergenceZNull_WarmingUp()
    {
        var signal = _strategy.Evaluate(Minute(5m, null));
        Assert.Equal("warming up: divergence z not known yet (null while the baseline fills, or flat)", signal.Reason);
    }

    [Fact]
    public void Evaluate_VpinAtTheLimit_EntryBlockedAsToxicFlow()
    {
        var signal = _strategy.Evaluate(Minute(2.5m, -2.5m, vpin: 0.6m));
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("short blocked: vpin 0.6 ≥ 0.6: toxic flow (ofi z 2.5, divergence z -2.5)", signal.Reason);
        Assert.Equal(SignalAction.EnterShort, _strategy.Evaluate(Minute(2.5m, -2.5m, vpin: 0.59m)).Action);
    }

    [Fact]
    public void Evaluate_VpinUnknown_EntryBlocked()
    {
        var signal = _strategy.Evaluate(Minute(-2.5m, 2.5m, vpin: null));
        Assert.Equal("long blocked: vpin not known yet (fewer complete volume buckets than the window) (ofi z -2.5, divergence z 2.5)",
            signal.Reason);
    }

    [Fact]
    public void Evaluate_KyleLambdaAboveMax_EntryBlocked_AndIgnoredWhenOff()
    {
        var strict = new MicroMeanReversionStrategy(new MicroMeanReversionParameters { KyleLambdaMax = 0.5m });
        Assert.Equal("short blocked: kyle λ 0.5 ≥ 0.5: high price impact (ofi z 2.5, divergence z -2.5)",
            strict.Evaluate(Minute(2.5m, -2.5m, lambda: 0.5m)).Reason);
        Assert.Equal("short blocked: kyle λ not known yet (ofi z 2.5, divergence z -2.5)", strict.Evaluate(Minute(2.5m, -2.5m)).Reason);
        Assert.Equal(SignalAction.EnterShort, strict.Evaluate(Minute(2.5m, -2.5m, lambda: 0.49m)).Action);
        Assert.Equal(SignalAction.EnterShort, _strategy.Evaluate(Minute(2.5m, -2.5m, lambda: 1000m)).Action);
    }

    [Fact]
    public void Evaluate_ThinOrUnknownBook_EntryBlocked()
    {
        var strict = new MicroMeanReversionStrategy(new MicroMeanReversionParameters { MinDepth = 2m });
        Assert.Equal("long blocked: thin book: depth bid 5 / ask 1.5 < 2 (ofi z -2.5, divergence z 2.5)",
            strict.Evaluate(Minute(-2.5m, 2.5m, askDepth: 1.5m)).Reason);
        Assert.Equal("long blocked: book depth unknown (no book, or resyncing) (ofi z -2.5, divergence z 2.5)",
            strict.Evaluate(Minute(-2.5m, 2.5m, bidDepth: null)).Reason);
        Assert.Equal(SignalAction.EnterLong, strict.Evaluate(Minute(-2.5m, 2.5m, bidDepth: 2m, askDepth: 2m)).Action);
    }

    [Fact]
    public void Evaluate_FiltersInOrder_VpinReasonFirst()
    {
        var strict = new MicroMeanReversionStrategy(new MicroMeanReversionParameters { KyleLambdaMax = 0.5m, MinDepth = 2m });
        Assert.StartsWith("short blocked: vpin 0.9 ≥ 0.6", strict.Evaluate(Minute(2.5m, -2.5m, vpin: 0.9m, lambda: 9m, bidDepth: 0m)).Reason,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_MicroMr_DefaultsReadMicroAndExitAfterOneMinute()
    {
        var config = StrategyRegistry.CreateDefault().Parse("""
            id: micro_mr
            exchange: okx
            instId: BTC-USDT-SWAP
            """, "(test)");
        Assert.Equal(MicroMeanReversionStrategy.StrategyName, config.Strategy);
        Assert.True(config.UsesMicro);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Execution.ExitAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Execution.EntryTtl);
        Assert.Equal(new MicroMeanReversionParameters(), config.Parameters);
        Assert.IsType<MicroMeanReversionStrategy>(config.CreateStrategy());
    }

    [Fact]
    public void Registry_MicroMrKeys_ParsedAndOffAccepted()
    {
        var config = StrategyRegistry.CreateDefault().Parse("""
            id: mm
            strategy: micro_mr
            exchange: okx
            instId: BTC-USDT-SWAP
            parameters:
              ofiZEntry: 3
              divergenceZEntry: 2.5
              vpinMax: 0.4
              kyleLambdaMax: off
              minDepth: 1.5
              exitAfter: 5m
            """, "(test)");
        var p = (MicroMeanReversionParameters)config.Parameters;
        Assert.Equal((3m, 2.5m, 0.4m, (decimal?)null, (decimal?)1.5m), (p.OfiZEntry, p.DivergenceZEntry, p.VpinMax, p.KyleLambdaMax, p.MinDepth));
        Assert.Equal(TimeSpan.FromMinutes(5), config.Execution.ExitAfter);
    }

    [Theory]
    [InlineData("vpinMax: 1.5", "parameters.vpinMax")]
    [InlineData("ofiZEntry: 0", "parameters.ofiZEntry")]
    [InlineData("exitAfter: 30s", "parameters.exitAfter")]
    [InlineData("ofiZentry: 2", "parameters.ofiZentry")]
    public void Registry_MicroMrBadKey_NamesTheKey(string line, string key)
    {
        var ex = Assert.Throws<StrategyConfigException>(() => StrategyRegistry.CreateDefault().Parse($"""
            id: micro_mr
            exchange: okx
            instId: BTC-USDT-SWAP
            parameters:
              {line}
            """, "(test)"));
        Assert.Equal(key, ex.Key);
    }

    [Fact]
    public void Registry_VwapMeanReversion_NoTimeExitAndNoMicro()
    {
        var config = StrategyRegistry.CreateDefault().Parse("""
            id: vwap_mean_reversion
            exchange: okx
            instId: BTC-USDT-SWAP
            """, "(test)");
        Assert.False(config.UsesMicro);
        Assert.Null(config.Execution.ExitAfter);
    }
}
