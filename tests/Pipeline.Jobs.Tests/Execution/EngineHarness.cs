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

    /// <summary>
    /// A seeded choppy market around 1000 over <paramref name="count"/> minutes, with occasional dips and spikes beyond the bands:
    /// each trade's taker side from its step (or every one a sell), and with <paramref name="occasionalHalt"/> a 5-second move
    /// past the halt about once an hour. The same arguments give the same market.
    /// </summary>
    public static (List<MinuteInputs> Minutes, List<TradeTick> Trades) ChoppyMarket(int seed, int count, bool sideFromStep, bool occasionalHalt)
    {
        var random = new Random(seed);
        var minutes = new List<MinuteInputs>();
        var trades = new List<TradeTick>();
        var px = 1000m;
        var id = 0;
        for (var m = 0; m < count; m++)
        {
            var n = random.Next(5, 25);
            var offsets = Enumerable.Range(0, n).Select(_ => (long)random.Next(0, 60_000)).Order().ToList();
            var target = random.Next(6) switch { 0 => 975m, 1 => 1025m, _ => 1000m };
            foreach (var offset in offsets)
            {
                var step = Math.Round((((decimal)random.NextDouble() - 0.5m) * 4m) + ((target - px) / 8m), 1);
                px = Math.Max(900m, px + step);
                var side = !sideFromStep || step < 0 ? "sell" : "buy";
                trades.Add(new TradeTick(At(m, offset), px, 0.01m, side, (++id).ToString(CultureInfo.InvariantCulture)));
            }

            decimal? adx = m < 14 ? null : 5m + random.Next(0, 20);
            var move = occasionalHalt && random.Next(60) == 0 ? 16.5m : 2.25m;
            minutes.Add(new MinuteInputs(Minute(m), px, 1000m, 10m, adx, move));
        }

        return (minutes, trades);
    }

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
