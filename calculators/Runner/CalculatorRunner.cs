using System.Diagnostics;
using Pipeline.Calculators.Adx;
using Pipeline.Calculators.Bands;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Cvd;
using Pipeline.Calculators.KyleLambda;
using Pipeline.Calculators.Micro;
using Pipeline.Calculators.Vwap;
using Pipeline.Vault.Layout;

namespace Pipeline.Calculators.Runner;

/// <summary>
/// The in-process API of the calculators (CLI, Quartz job, demo, backtest): one pass of all of them
/// for an instrument, in dependency order (bars_1m, then vwap, bands, cvd, adx, kyle; then the microstructure
/// stage when the vault has quotes or book days), and recalc.
/// </summary>
public static class CalculatorRunner
{
    /// <summary>Every calculator name, in dependency order.</summary>
    public static IReadOnlyList<string> Calcs { get; } = [BarLine.Calc, VwapIndicator.Calc, BandsIndicator.Calc, CvdIndicator.Calc, AdxIndicator.Calc, KyleLambdaIndicator.Calc];

    /// <summary>The microstructure outputs (<see cref="MicroStage"/>), run after the bar calculators when the vault has quotes or book days.</summary>
    public static IReadOnlyList<string> MicroCalcs => MicroStage.Calcs;

    /// <summary>
    /// The stage-2 indicators as <paramref name="options"/> configure them, in dependency order: what each
    /// writes and after how many minutes its outputs are warm (for status and the runner's reports).
    /// </summary>
    public static IReadOnlyList<IIndicator> Indicators(CalcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [Vwap(options), Bands(options), Cvd(options), Adx(options), Kyle(options)];
    }

    /// <summary>Instruments with raw data: (exchange, instId), optionally filtered; a named one without raw data is an <see cref="ArgumentException"/>.</summary>
    public static IReadOnlyList<(string Exchange, string InstId)> Instruments(VaultLayout layout, string? exchange = null,
        IReadOnlyCollection<string>? instIds = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var list = new List<(string, string)>();
        foreach (var ex in exchange is null ? layout.RawExchanges() : [VaultNames.Exchange(exchange)])
        {
            foreach (var inst in layout.RawInstruments(ex))
            {
                if (instIds is null || instIds.Count == 0 || instIds.Contains(inst))
                {
                    list.Add((ex, inst));
                }
            }
        }

        if (instIds is { Count: > 0 })
        {
            // A named instrument without raw data is the caller's mistake, not an empty instrument:
            // nothing is created for it (no lock, no state).
            var unknown = instIds.Where(inst => !list.Any(x => x.Item2 == VaultNames.InstId(inst))).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException(
                    $"no raw trades for {string.Join(", ", unknown)} under {layout.RawDir}{(exchange is null ? "" : " (" + exchange + ")")}");
            }
        }

        return list;
    }

    /// <summary>One incremental pass of every calculator for one instrument.</summary>
    public static CalcRunResult RunOnce(VaultLayout layout, CalcOptions options, string exchange, string instId,
        CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var exclusive = CalcLock.Acquire(layout, exchange, instId);
        var clock = Stopwatch.StartNew();
        var bars = new RawToBarsStage(layout, options, exchange, instId);
        var results = new List<StageResult> { bars.Run(token) };
        var committed = bars.State.Output;
        foreach (var stage in StageTwo(layout, options, exchange, instId))
        {
            results.Add(stage.Run(committed, token));
        }

        var micro = new MicroStage(layout, options, exchange, instId);
        if (micro.Days().Count > 0)
        {
            results.AddRange(micro.Run(bars.State.NextMinute, token));
        }

        return Summarise(bars, exchange, instId, results, clock);
    }

    /// <summary>
    /// Rebuilds the derived files of [from, to] from raw through the same code. Each calculator
    /// restarts from its checkpoint at the start of the first day rebuilt (or from nothing when it
    /// has none that early). Without <paramref name="to"/> (or when it reaches the last raw day)
    /// the live cursors are reset and the rebuild continues to what is final now; with an earlier
    /// <paramref name="to"/> only those days are rewritten and the live cursors stay where they are.
    /// </summary>
    public static CalcRunResult Recalc(VaultLayout layout, CalcOptions options, string exchange, string instId,
        DateOnly from, DateOnly? to, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (to is { } t && t < from)
        {
            throw new ArgumentException("--to is before --from");
        }

        var rawDays = layout.RawDays(exchange, instId);
        if (to is { } last && rawDays.Count > 0 && last >= rawDays[^1])
        {
            to = null;
        }

        using var exclusive = CalcLock.Acquire(layout, exchange, instId);
        var clock = Stopwatch.StartNew();
        var bars = new RawToBarsStage(layout, options, exchange, instId);
        var barsStart = Checkpoints.AtOrBefore(layout, BarLine.Calc, exchange, instId, from) is { } bd
            ? Checkpoints.File<BarsState>(layout, BarLine.Calc, exchange, instId, bd).Read()
            : null;
        if (to is null)
        {
            Checkpoints.RemoveAfter(layout, BarLine.Calc, exchange, instId, barsStart?.Input?.Day ?? DateOnly.MinValue);
        }

        var results = new List<StageResult> { bars.Run(token, barsStart, fromCheckpoint: true, stopAfter: to) };
        var committed = to is null
            ? bars.State.Output
            : new OutputPosition { Day = to.Value, Length = LengthOf(layout.DerivedDay(BarLine.Calc, exchange, instId, to.Value)) };
        foreach (var stage in StageTwo(layout, options, exchange, instId))
        {
            results.Add(stage.Recalc(committed, from, to, token));
        }

        var micro = new MicroStage(layout, options, exchange, instId);
        if (micro.Days().Count > 0)
        {
            results.AddRange(micro.Recalc(bars.State.NextMinute, from, to, token));
        }

        return Summarise(bars, exchange, instId, results, clock);
    }

    /// <summary>What the states say: last minute, late trades, bad lines (for status).</summary>
    public static CalcStatus Status(VaultLayout layout, string exchange, string instId)
    {
        var bars = new RawToBarsStage(layout, new CalcOptions(), exchange, instId).ReadState();
        return new CalcStatus(exchange, instId, bars?.NextMinute is { } n ? n - Records.MinuteTime.Ms : null,
            bars?.LateTrades ?? 0, bars?.LastLateTs, bars?.BadLines ?? 0, bars?.Trades ?? 0, bars?.Minutes ?? 0);
    }

    private static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static CalcRunResult Summarise(RawToBarsStage bars, string exchange, string instId, List<StageResult> results, Stopwatch clock)
    {
        var state = bars.State;
        return new CalcRunResult(exchange, instId, results, state.LateTrades, state.BadLines, clock.Elapsed)
        {
            ForeignLines = state.ForeignLines, DuplicateTrades = state.DuplicateTrades,
        };
    }

    // The same five, in the same order, as Indicators (a test holds the two lists together).
    private static List<IStage> StageTwo(VaultLayout layout, CalcOptions options, string exchange, string instId) =>
    [
        StageOf(Vwap(options), layout, options, exchange, instId),
        StageOf(Bands(options), layout, options, exchange, instId),
        StageOf(Cvd(options), layout, options, exchange, instId),
        StageOf(Adx(options), layout, options, exchange, instId),
        StageOf(Kyle(options), layout, options, exchange, instId),
    ];

    private static VwapIndicator Vwap(CalcOptions options) => new(options.SessionResetHour);

    private static BandsIndicator Bands(CalcOptions options) => new(options.BandMultipliers, options.SessionResetHour);

    private static CvdIndicator Cvd(CalcOptions options) => new(options.SessionResetHour);

    private static AdxIndicator Adx(CalcOptions options) => new(options.AdxPeriod);

    private static KyleLambdaIndicator Kyle(CalcOptions options) => new(options.KyleWindow);

    private static Stage<T> StageOf<T>(IBarIndicator<T> indicator, VaultLayout layout, CalcOptions options, string exchange, string instId)
        where T : class =>
        new(new IndicatorStage<T>(layout, indicator, options, exchange, instId), layout, exchange, instId);

    private interface IStage
    {
        StageResult Run(OutputPosition? committed, CancellationToken token);

        StageResult Recalc(OutputPosition? committed, DateOnly from, DateOnly? to, CancellationToken token);
    }

    private sealed class Stage<T>(IndicatorStage<T> stage, VaultLayout layout, string exchange, string instId) : IStage
        where T : class
    {
        public StageResult Run(OutputPosition? committed, CancellationToken token) => stage.Run(committed, token);

        public StageResult Recalc(OutputPosition? committed, DateOnly from, DateOnly? to, CancellationToken token)
        {
            var start = Checkpoints.AtOrBefore(layout, stage.Name, exchange, instId, from) is { } d
                ? Checkpoints.File<StageState<T>>(layout, stage.Name, exchange, instId, d).Read()
                : null;
            if (to is null)
            {
                Checkpoints.RemoveAfter(layout, stage.Name, exchange, instId, start?.Input?.Day ?? DateOnly.MinValue);
            }

            return stage.Run(committed, token, fromCheckpoint: true, start, to);
        }
    }
}

/// <summary>The outcome of one pass for one instrument.</summary>
public sealed record CalcRunResult(string Exchange, string InstId, IReadOnlyList<StageResult> Stages, long LateTrades,
    long BadLines, TimeSpan Elapsed)
{
    /// <summary>Lines of another exchange or instrument met in the instrument's files (skipped).</summary>
    public long ForeignLines { get; init; }

    /// <summary>Lines repeating a trade id already read (skipped: each trade counts once).</summary>
    public long DuplicateTrades { get; init; }

    public long BarsEmitted => Stages.Count > 0 ? Stages[0].MinutesEmitted : 0;

    public long TradesRead => Stages.Count > 0 ? Stages[0].TradesRead : 0;
}

/// <summary>Calculator status of one instrument (for <c>pipeline status</c>).</summary>
public sealed record CalcStatus(string Exchange, string InstId, long? LastMinute, long LateTrades, long? LastLateTs,
    long BadLines, long Trades, long Minutes);
