using System.Text.Json;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Strategies;

/// <summary>Bands: vwap 1000, sigma 10, k 1.5 → lower 985, upper 1015.</summary>
public sealed class VwapMeanReversionStrategyTests
{
    private readonly VwapMeanReversionStrategy _strategy = new(new VwapMeanReversionParameters());

    [Fact]
    public void Evaluate_CloseAtLowerBand_Long()
    {
        var signal = _strategy.Evaluate(Inputs(0, 985m));
        Assert.Equal(SignalAction.EnterLong, signal.Action);
        Assert.Equal((1015m, 985m), (signal.Upper!.Value, signal.Lower!.Value));
        Assert.Equal("close 985 ≤ lower band 985 and < vwap 1000", signal.Reason);
    }

    [Fact]
    public void Evaluate_CloseJustAboveLowerBand_None()
    {
        var signal = _strategy.Evaluate(Inputs(0, 985.01m));
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("close inside bands", signal.Reason);
    }

    [Fact]
    public void Evaluate_CloseAtUpperBand_Short()
    {
        var signal = _strategy.Evaluate(Inputs(0, 1015m));
        Assert.Equal(SignalAction.EnterShort, signal.Action);
        Assert.Equal("close 1015 ≥ upper band 1015 and > vwap 1000", signal.Reason);
    }

    [Fact]
    public void Evaluate_ZeroSigmaCloseAtVwap_NoneBecauseCloseMustBeBelowVwap()
    {
        Assert.Equal(SignalAction.None, _strategy.Evaluate(Inputs(0, 1000m, sigma: 0m)).Action);
        Assert.Equal(SignalAction.EnterLong, _strategy.Evaluate(Inputs(1, 999.9m, sigma: 0m)).Action);
    }

    [Fact]
    public void Evaluate_NoVwapWindowWarm_NoTradesReason()
    {
        var signal = _strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null) with { SeriesMinutes = 300, WindowWarm = true });
        Assert.Equal(SignalAction.None, signal.Action);
        Assert.Equal("no vwap/sigma: the 1h window has no trades", signal.Reason);
        Assert.Null(signal.Lower);
    }

    [Fact]
    public void Evaluate_NoVwapWarmthUnknown_DoesNotClaimNoTrades()
    {
        var signal = _strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null));
        Assert.Equal("no vwap/sigma for the 1h window", signal.Reason);
    }

    [Fact]
    public void Evaluate_FreshRun23MinutesIn_SaysWarmingUpWith23Of60Minutes()
    {
        var signal = _strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null) with { SeriesMinutes = 23, WindowWarm = false });
        Assert.Equal((SignalAction.None, "warming up: the 1h window has 23 of 60 minutes"), (signal.Action, signal.Reason));
    }

    [Fact]
    public void Evaluate_WarmthUnknownButSeriesShorterThanWindow_SaysWarmingUp()
    {
        var signal = _strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null) with { SeriesMinutes = 59 });
        Assert.Equal("warming up: the 1h window has 59 of 60 minutes", signal.Reason);
    }

    [Fact]
    public void Evaluate_FourHourWindowWarmingUp_CountsTo240()
    {
        var strategy = new VwapMeanReversionStrategy(new VwapMeanReversionParameters { BandWindow = BandWindow.FourHours });
        var signal = strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null) with { SeriesMinutes = 75, WindowWarm = false });
        Assert.Equal("warming up: the 4h window has 75 of 240 minutes", signal.Reason);
    }

    [Fact]
    public void Evaluate_SessionWindowWarmingUp_SaysItWaitsForAWholeSession()
    {
        var strategy = new VwapMeanReversionStrategy(new VwapMeanReversionParameters { BandWindow = BandWindow.Session });
        var signal = strategy.Evaluate(Inputs(0, 900m, vwap: null, sigma: null) with { SeriesMinutes = 600, WindowWarm = false });
        Assert.Equal("warming up: the session window waits for the first whole session (the bars began mid-session)", signal.Reason);
    }

    [Fact]
    public void Evaluate_AdxNullWithSeriesLength_SaysBarsOfTwicePeriod()
    {
        var signal = _strategy.Evaluate(Inputs(0, 980m, adx: null) with { SeriesMinutes = 10 });
        Assert.Equal("adx warming up: 10 of 28 bars", signal.Reason);
    }

    [Fact]
    public void Evaluate_AdxNull_WarmingUp()
    {
        var signal = _strategy.Evaluate(Inputs(0, 980m, adx: null));
        Assert.Equal((SignalAction.None, "adx warming up"), (signal.Action, signal.Reason));
        Assert.Equal(985m, signal.Lower);
    }

    [Fact]
    public void Evaluate_Adx27_3_NoEntryWithReason()
    {
        var signal = _strategy.Evaluate(Inputs(0, 980m, adx: 27.3m));
        Assert.Equal((SignalAction.None, "adx 27.3 ≥ 20"), (signal.Action, signal.Reason));
    }

    [Fact]
    public void Evaluate_AdxReasonTruncates_SoTheInequalityStaysTrue()
    {
        Assert.Equal("adx 27.3 ≥ 20", _strategy.Evaluate(Inputs(0, 980m, adx: 27.3999m)).Reason);
    }

    [Fact]
    public void Evaluate_AdxExactly20_Blocked_JustBelow_Trades()
    {
        Assert.Equal("adx 20 ≥ 20", _strategy.Evaluate(Inputs(0, 980m, adx: 20m)).Reason);
        Assert.Equal(SignalAction.EnterLong, _strategy.Evaluate(Inputs(1, 980m, adx: 19.999m)).Action);
    }

    [Fact]
    public void Evaluate_AdxAtOrAbove40_NoTradingReason()
    {
        Assert.Equal("adx 40 ≥ 40: no trading", _strategy.Evaluate(Inputs(0, 980m, adx: 40m)).Reason);
        Assert.Equal("adx 39.9 ≥ 20", _strategy.Evaluate(Inputs(1, 980m, adx: 39.99m)).Reason);
    }

    [Fact]
    public void Evaluate_AdxThresholdsConfigurable()
    {
        var loose = new VwapMeanReversionStrategy(new VwapMeanReversionParameters { AdxMax = 30m, AdxNoTrade = 50m });
        Assert.Equal(SignalAction.EnterLong, loose.Evaluate(Inputs(0, 980m, adx: 27.3m)).Action);
    }

    [Fact]
    public void Evaluate_HaltWindow_StartsAtTheSpikeMinuteAndEndsExactlyTenMinutesLater()
    {
        var spike = _strategy.Evaluate(Inputs(3, 980m, move: 18.2m));
        Assert.Equal("halt: 5s move 18.2 bps at 12:03", spike.Reason);
        for (var i = 4; i <= 12; i++)
        {
            Assert.Equal(SignalAction.None, _strategy.Evaluate(Inputs(i, 980m)).Action);
        }

        // decided at 12:14, exactly 10 minutes after the halt became known at 12:04
        Assert.Equal(SignalAction.EnterLong, _strategy.Evaluate(Inputs(13, 980m)).Action);
    }

    [Fact]
    public void Evaluate_MoveExactlyAtThreshold_Halts_JustBelow_DoesNot()
    {
        Assert.StartsWith("halt", _strategy.Evaluate(Inputs(0, 980m, move: 15m)).Reason, StringComparison.Ordinal);
        var other = new VwapMeanReversionStrategy(new VwapMeanReversionParameters());
        Assert.Equal(SignalAction.EnterLong, other.Evaluate(Inputs(0, 980m, move: 14.99m)).Action);
    }

    [Fact]
    public void Evaluate_SecondSpike_RestartsTheHalt()
    {
        _strategy.Evaluate(Inputs(0, 1000m, move: 16m));
        _strategy.Evaluate(Inputs(5, 1000m, move: 17m));
        Assert.Equal("halt: 5s move 17 bps at 12:05", _strategy.Evaluate(Inputs(14, 980m)).Reason);
        Assert.Equal(SignalAction.EnterLong, _strategy.Evaluate(Inputs(15, 980m)).Action);
    }

    [Fact]
    public void Evaluate_AdxFilterComesBeforeHalt()
    {
        Assert.Equal("adx 25 ≥ 20", _strategy.Evaluate(Inputs(0, 980m, adx: 25m, move: 30m)).Reason);
        Assert.StartsWith("halt", _strategy.Evaluate(Inputs(1, 980m)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveState_RestoreState_RoundTripsTheHalt()
    {
        _strategy.Evaluate(Inputs(0, 1000m, move: 20m));
        var saved = JsonSerializer.Deserialize<JsonElement>(JsonSerializer.Serialize(_strategy.SaveState()));

        var restored = new VwapMeanReversionStrategy(new VwapMeanReversionParameters());
        restored.RestoreState(saved);
        Assert.Equal(_strategy.HaltMinuteMs, restored.HaltMinuteMs);
        Assert.StartsWith("halt: 5s move 20 bps", restored.Evaluate(Inputs(9, 980m)).Reason, StringComparison.Ordinal);
        Assert.Null(new VwapMeanReversionStrategy(new VwapMeanReversionParameters()).SaveState());
    }
}
