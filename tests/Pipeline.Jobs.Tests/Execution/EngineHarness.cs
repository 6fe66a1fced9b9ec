using System.Globalization;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;

namespace Pipeline.Jobs.Tests.Execution;

/// <summary>
/// A paper engine with a recording sink and readable helpers. Bands default to vwap 1000,
/// sigma 10, k 1.5: lower 985, upper 1015. Minute i starts at T0 + i minutes.
/// </summary>
internal sealed class EngineHarness
{
    public static readonly long T0 = new DateTimeOffset(2025, 3, 3, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private int _tradeId = 1000;

    public EngineHarness(ExecutionSettings? execution = null, VwapMeanReversionParameters? parameters = null, EngineState? state = null,
        ContractTerms? contract = null)
    {
        Config = CreateConfig(execution, parameters) with { Contract = contract };
        Strategy = (VwapMeanReversionStrategy)Config.CreateStrategy();
        Engine = new PaperTradingEngine(Config, Strategy, Sink, state);
    }

    public StrategyConfig Config { get; }
    public VwapMeanReversionStrategy Strategy { get; }
    public RecordingSink Sink { get; } = new();
    public PaperTradingEngine Engine { get; }

    public SignalRecord LastSignal => Sink.Signals[^1];

    public static StrategyConfig CreateConfig(ExecutionSettings? execution = null, VwapMeanReversionParameters? parameters = null) => new()
    {
        Id = "vwap_mean_reversion",
        Strategy = VwapMeanReversionStrategy.StrategyName,
        Exchange = "okx",
        InstId = "BTC-USDT-SWAP",
        Execution = execution ?? new ExecutionSettings(),
        Parameters = parameters ?? new VwapMeanReversionParameters(),
        Factory = c => new VwapMeanReversionStrategy((VwapMeanReversionParameters)c.Parameters),
    };

    public static long Minute(int i) => T0 + (i * 60_000L);

    /// <summary>Minute <paramref name="minute"/> plus <paramref name="ms"/> milliseconds.</summary>
    public static long At(int minute, long ms) => Minute(minute) + ms;

    public static MinuteInputs Inputs(int i, decimal close, decimal? vwap = 1000m, decimal? sigma = 10m, decimal? adx = 15m, decimal move = 0m) =>
        new(Minute(i), close, vwap, sigma, adx, move);

    public SignalRecord Bar(int i, decimal close, decimal? vwap = 1000m, decimal? sigma = 10m, decimal? adx = 15m, decimal move = 0m)
    {
        Engine.OnMinute(Inputs(i, close, vwap, sigma, adx, move));
        return LastSignal;
    }

    public void Trade(long ts, decimal px) =>
        Engine.OnTrade(new TradeTick(ts, px, 1m, "sell", (++_tradeId).ToString(CultureInfo.InvariantCulture)));

    /// <summary>Signal at minute 0 (long at 980) and a fill in minute 1: an open long at 980.</summary>
    public void OpenLong(decimal close = 980m)
    {
        Bar(0, close);
        Trade(At(1, 500), close - 0.5m);
        Assert.NotNull(Engine.Position);
    }

    public void OpenShort(decimal close = 1020m)
    {
        Bar(0, close);
        Trade(At(1, 500), close + 0.5m);
        Assert.NotNull(Engine.Position);
    }
}
