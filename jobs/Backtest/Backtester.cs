using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// Replays the raw days [from, to] of one instrument through the live code: the calculators
/// (<see cref="CalculatorRunner.RunOnce"/>) write their minute outputs into a scratch vault whose raw
/// days are links to the source vault's files (JSONL or Parquet), the live <see cref="MinuteRecordReader"/>
/// joins them, and a fresh <see cref="PaperRun"/> (the same strategy and paper engine as
/// <c>pipeline signal</c>) is fed minutes and trades in event time by <see cref="EngineFeed"/>, over the
/// same trade range the live executor reads (first minute's start to last minute's end). Indicators
/// start cold at <c>from</c>. The scratch vault is computed once per calculator setting and reused by
/// every run (a sweep), then deleted on dispose.
/// <para>For a strategy that reads the microstructure indicators (<see cref="StrategyConfig.UsesMicro"/>) the scratch vault
/// also links the instrument's quotes and book days (JSONL and compacted Parquet, whichever exist), so the micro stage
/// runs exactly as in <c>calc</c> and the same reader joins its outputs; a strategy that does not read them does not
/// pay for reading a day's quotes.</para>
/// </summary>
public sealed class Backtester : IDisposable
{
    private readonly VaultLayout _source;
    private readonly string _exchange;
    private readonly string _instId;
    private readonly DateOnly _from;
    private readonly DateOnly _to;
    private readonly CalcOptions _calc;
    private readonly string _scratchRoot;
    private readonly Dictionary<(int AdxPeriod, bool Micro), (VaultLayout Vault, TimeSpan Elapsed)> _prepared = [];

    public Backtester(VaultLayout source, string exchange, string instId, DateOnly from, DateOnly to, CalcOptions? calc = null,
        string? scratchRoot = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (to < from)
        {
            throw new ArgumentException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}");
        }

        _source = source;
        _exchange = VaultNames.Exchange(exchange);
        _instId = VaultNames.InstId(instId);
        _from = from;
        _to = to;
        _calc = calc ?? new CalcOptions();
        _scratchRoot = scratchRoot ?? Path.Combine(Path.GetTempPath(), "pipeline-backtest", Guid.NewGuid().ToString("N"));
        Days = [.. source.RawDays(_exchange, _instId).Where(d => d >= from && d <= to)];
        if (Days.Count == 0)
        {
            throw new ArgumentException(
                $"no raw days of {_exchange}/{_instId} between {from:yyyy-MM-dd} and {to:yyyy-MM-dd} in {source.RawInstrumentDir(_exchange, _instId)}");
        }
    }

    /// <summary>The raw days in range that exist (JSONL or Parquet).</summary>
    public IReadOnlyList<DateOnly> Days { get; }

    /// <summary>The raw days in range that also have quotes or book recorded (JSONL or Parquet).</summary>
    public IReadOnlyList<DateOnly> MicroDays =>
        _microDays ??= [.. Days.Where(d => MicroKindsLinked.Any(k => MicroFiles(_source, k, d).Any(File.Exists)))];

    private IReadOnlyList<DateOnly>? _microDays;

    private static readonly MicroKind[] MicroKindsLinked = [MicroKind.Quotes, MicroKind.Book];

    /// <summary>
    /// Whether <paramref name="config"/> can run on this range: a strategy that reads the microstructure indicators needs
    /// quotes or book recorded on at least one day, else it could only ever say "no micro data" — an
    /// <see cref="ArgumentException"/> naming what to record. Some days without them: a note in the run (those minutes
    /// do not trade).
    /// </summary>
    public void Check(StrategyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.UsesMicro && MicroDays.Count == 0)
        {
            throw new ArgumentException(
                $"{config.Strategy} reads quotes and book indicators, but {_exchange}/{_instId} has no quotes or book recorded between {_from:yyyy-MM-dd} and {_to:yyyy-MM-dd} (record them with `pipeline export --data trades,quotes,book`, or pick days that have them: {_source.MicroInstrumentDir(MicroKind.Quotes, _exchange, _instId)})");
        }
    }

    /// <summary>
    /// One run. <paramref name="progress"/> gets a stage name and the fraction done (0..1) now and then.
    /// </summary>
    public BacktestRun Run(StrategyConfig config, IReadOnlyDictionary<string, string>? overrides = null,
        Action<string, double>? progress = null, bool keepSignals = false, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        Check(config);
        var clock = Stopwatch.StartNew();
        config = config with
        {
            Exchange = _exchange, InstId = _instId,
            Contract = config.Contract ?? ContractTermsReader.Read(_source, _exchange, _instId, _to), // linear or inverse
        };
        var parameters = config.Parameters as VwapMeanReversionParameters;

        // The raw days are read on the other core while the calculators run, a few days ahead at most.
        var reader = new BacktestTradeReader(_source, _exchange, _instId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var days = new BlockingCollection<List<TradeTick>>(boundedCapacity: 2);
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var day in Days)
                {
                    days.Add(reader.ReadDay(day, stop.Token), stop.Token);
                }
            }
            finally
            {
                days.CompleteAdding();
            }
        }, stop.Token);

        var minutes = new List<MinuteInputs>();
        var run = new PaperRun(config, keepSignals);
        long fed = 0;
        var tradeMinutes = new HashSet<long>();
        var calcTime = TimeSpan.Zero;
        try
        {
            VaultLayout vault;
            (vault, calcTime) = Prepare(parameters?.AdxPeriod ?? _calc.AdxPeriod, config.UsesMicro, progress, token);
            progress?.Invoke("minutes", 0);
            minutes = MinuteRecordReader.For(vault, config).ReadAfter(null); // the reader of `pipeline signal`
            if (minutes.Count > 0)
            {
                // The live executor's range: the first minute's start to the last minute's end.
                var fromTs = minutes[0].MinuteMs;
                var untilTs = minutes[^1].CloseTs;
                var trades = days.GetConsumingEnumerable(stop.Token).SelectMany(d => d).Where(t => t.Ts >= fromTs && t.Ts < untilTs);
                fed = EngineFeed.Run(run.Engine, minutes, Report(trades, fromTs, untilTs, tradeMinutes, progress), token);
            }

            stop.Cancel();
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // stopped on purpose once the engine had what it needed
            }
        }
        finally
        {
            stop.Cancel();
        }

        progress?.Invoke("trades", 1);
        return new BacktestRun
        {
            Config = config, From = _from, To = _to, Overrides = overrides ?? new Dictionary<string, string>(),
            Report = run.Report(), Sink = run.Sink, Minutes = minutes.Count, MinutesWithData = tradeMinutes.Count, Trades = fed,
            Series = Series(minutes, parameters), BadLines = reader.BadLines, Notes = Notes(config),
            LateTrades = run.Engine.LateTrades, CalculatorTime = calcTime, Elapsed = clock.Elapsed,
        };
    }

    /// <summary>What the run could not see: the days in range without quotes or book (a micro strategy does not trade them).</summary>
    private List<string> Notes(StrategyConfig config)
    {
        if (!config.UsesMicro || MicroDays.Count == Days.Count)
        {
            return [];
        }

        var missing = Days.Except(MicroDays).ToList();
        return
        [
            $"{missing.Count} of {Days.Count} days have no quotes or book recorded ({string.Join(", ", missing.Take(5).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}{(missing.Count > 5 ? ", …" : "")}): their minutes have no micro values and {config.Strategy} does not enter on them",
        ];
    }

    /// <summary>The scratch vault with every calculator's output over the range (computed on first use).</summary>
    private (VaultLayout, TimeSpan) Prepare(int adxPeriod, bool micro, Action<string, double>? progress, CancellationToken token)
    {
        if (_prepared.TryGetValue((adxPeriod, micro), out var ready))
        {
            return ready;
        }

        progress?.Invoke("calculators", 0);
        var clock = Stopwatch.StartNew();
        var vault = new VaultLayout(Path.Combine(_scratchRoot,
            "adx" + adxPeriod.ToString(System.Globalization.CultureInfo.InvariantCulture) + (micro ? "-micro" : "")));
        foreach (var day in Days)
        {
            // Parquet wins when both forms exist, as for every reader.
            var parquet = _source.RawDayParquet(_exchange, _instId, day);
            var (target, link) = File.Exists(parquet)
                ? (parquet, vault.RawDayParquet(_exchange, _instId, day))
                : (_source.RawDayJsonl(_exchange, _instId, day), vault.RawDayJsonl(_exchange, _instId, day));
            Link(link, target);
        }

        if (micro)
        {
            // Both forms when both exist: the micro stage decides which it reads, exactly as over the source vault.
            foreach (var day in MicroDays)
            {
                foreach (var kind in MicroKindsLinked)
                {
                    foreach (var (target, link) in MicroFiles(_source, kind, day).Zip(MicroFiles(vault, kind, day)))
                    {
                        if (File.Exists(target))
                        {
                            Link(link, target);
                        }
                    }
                }
            }
        }

        // Every linked day is complete as it is: mark it closed the way backfill does (no made-up watermark);
        // the calculators still finalise nothing past now.
        var now = _calc.Time.GetUtcNow();
        foreach (var day in Days)
        {
            ClosedDays.Mark(vault, _exchange, _instId, day, "backtest", now);
        }

        CalculatorRunner.RunOnce(vault, _calc with { AdxPeriod = adxPeriod }, _exchange, _instId, token);
        progress?.Invoke("calculators", 1);
        _prepared[(adxPeriod, micro)] = (vault, clock.Elapsed);
        return (vault, clock.Elapsed);
    }

    /// <summary>A micro kind's day files: the JSONL and its compacted Parquet (the same name, .parquet).</summary>
    private IEnumerable<string> MicroFiles(VaultLayout layout, MicroKind kind, DateOnly day)
    {
        var jsonl = layout.MicroDayJsonl(kind, _exchange, _instId, day);
        return [jsonl, Path.ChangeExtension(jsonl, ".parquet")];
    }

    private static void Link(string link, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, target);
    }

    /// <summary>The price chart's minutes: close, VWAP and the strategy's bands (VWAP ± bandMultiplier × sigma, as it decides on them).</summary>
    private static List<ChartMinute> Series(List<MinuteInputs> minutes, VwapMeanReversionParameters? parameters) =>
        [.. minutes.Select(m => new ChartMinute(m.MinuteMs, m.Close, m.Vwap,
            m.Vwap + (parameters?.BandMultiplier * m.Sigma), m.Vwap - (parameters?.BandMultiplier * m.Sigma)))];

    private static IEnumerable<TradeTick> Report(IEnumerable<TradeTick> trades, long fromTs, long untilTs, HashSet<long> minutes,
        Action<string, double>? progress)
    {
        long n = 0;
        var lastMinute = long.MinValue;
        foreach (var trade in trades)
        {
            var minute = trade.Ts / TradeTime.MsPerMinute; // event times are after 1970: division floors
            if (minute != lastMinute)
            {
                minutes.Add(minute); // a set: a late trade of an earlier minute is not counted twice
                lastMinute = minute;
            }

            if (progress is not null && (++n & 0x3FFF) == 0)
            {
                progress("trades", (double)(trade.Ts - fromTs) / (untilTs - fromTs));
            }

            yield return trade;
        }
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_scratchRoot))
            {
                Directory.Delete(_scratchRoot, recursive: true); // removes the links, never their targets
            }
        }
        catch (IOException)
        {
            // best effort: a scratch directory under temp
        }
    }
}
