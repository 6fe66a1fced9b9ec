using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Exporter;
using Pipeline.Exporter.Recording;
using Pipeline.Simulator;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Demo;

/// <summary>
/// The demo's steps: start the simulator on loopback with a fixed seed and start time, let the real exporters
/// record the requested hours over WebSocket, then run the calculators and the strategy over the vault exactly as
/// the scheduled jobs would.
/// </summary>
/// <remarks>
/// Deterministic: the simulator runs on a stepped clock that this class moves itself. Event time stands at the
/// start until both exporters are subscribed and hold their REST baseline, so the market's first trade is
/// recorded; after each <see cref="Step"/> of event time the clock waits until every trade published so far is
/// recorded, so each trade's receive time is the step it was published in, whatever the machine's load. The
/// market ends <see cref="Tail"/> after the requested span: the exporters' watermark passes the end plus the
/// calculators' lateness, so every minute of the span is final and none after it. The same seed thus gives the
/// same raw trades, bars, signals and summary, byte for byte.
/// </remarks>
public sealed class DemoRun(VaultLayout vault, TimeSpan span, ulong seed, TextWriter progress, TimeProvider? time = null)
{
    /// <summary>A fixed origin, so every demo run sees the same market.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Event time per step: the most a trade's receive time lies after its event time (as at ~600x real speed).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>How far the market runs past the span: more than the calculators' lateness, less than a minute.</summary>
    public static readonly TimeSpan Tail = TimeSpan.FromSeconds(30);

    /// <summary>How long the exporters may make no progress (wall time) before the demo gives up.</summary>
    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);
    /// <summary>The market's average fills per second of event time, per instrument.</summary>
    public const double FillsPerSecond = 12;

    /// <summary>What the demo records: one instrument per exchange.</summary>
    public static IReadOnlyList<(string Exchange, string InstId)> Instruments { get; } = [("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT")];

    private readonly ILogger _log = Log.ForContext<DemoRun>();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<DemoSummary> RunAsync(CancellationToken token)
    {
        var started = _time.GetTimestamp();
        var endMs = Start.ToUnixTimeMilliseconds() + (long)span.TotalMilliseconds;
        await progress.WriteLineAsync($"demo: simulating {span.TotalHours:0.#} h of market from {Start:yyyy-MM-dd HH:mm}Z (seed {seed}) into {vault.Root}");
        long trades;
        await using (var sim = await SimulatorHost.StartAsync(SimulatorOptions(seed, _time), token))
        {
            trades = await RecordAsync(sim, endMs + (long)Tail.TotalMilliseconds, started, token);
        }

        await progress.WriteLineAsync($"demo: recorded in {_time.GetElapsedTime(started).TotalSeconds:0} s; computing minute outputs ...");
        long minutes = 0;
        foreach (var (exchange, instId) in Instruments)
        {
            minutes += CalculatorRunner.RunOnce(vault, new CalcOptions { Time = _time }, exchange, instId, token).BarsEmitted;
        }

        await progress.WriteLineAsync("demo: running the VWAP mean-reversion strategy (paper) ...");
        long signals = 0, fills = 0;
        var reports = new List<PerformanceReport>();
        foreach (var strategy in Strategies())
        {
            var result = new LiveExecutor(vault, strategy, _time).RunToEnd(null, token);
            signals += result.Actions.Where(a => a.Key is "long" or "short").Sum(a => a.Value);
            var ledger = LedgerReader.ReadFills(vault, strategy.Id);
            fills += ledger.Count;
            reports.Add(PerformanceReport.FromFills(ledger)); // ids are per strategy: one report each
        }

        await progress.WriteLineAsync($"demo: done in {_time.GetElapsedTime(started).TotalSeconds:0} s");
        var roundTrips = reports.Sum(r => r.TradeCount);
        return new DemoSummary
        {
            Vault = vault.Root,
            Simulated = span,
            From = Start,
            Seed = seed,
            Trades = trades,
            Minutes = minutes,
            Signals = signals,
            Fills = fills,
            RoundTrips = roundTrips,
            WinRatePct = roundTrips == 0 ? 0 : 100m * reports.Sum(r => r.Wins) / roundTrips,
            NetPnl = reports.Sum(r => r.NetPnl),
            FeesPaid = reports.Sum(r => r.FeesPaid),
        };
    }

    /// <summary>The demo's simulator: its instruments and rate, the seed, the fixed start, a clock the demo steps itself.</summary>
    internal static SimulatorOptions SimulatorOptions(ulong seed, TimeProvider time) => new()
    {
        Instruments = Instruments.Select(i => i.InstId).ToArray(),
        Rate = FillsPerSecond,
        Seed = seed,
        Start = Start,
        Stepped = true,
        Time = time,
    };

    /// <summary>
    /// Moves the market from its start to <paramref name="endMs"/> while the exporters record it; returns the trades recorded.
    /// <paramref name="afterStep"/> (the live demo's calculators and executors) runs after each step, once every trade
    /// published so far is recorded, with the step's event time.
    /// </summary>
    /// <param name="stateInterval">The exporters' state interval (<see cref="ExporterOptions.StateInterval"/>), when not the default.</param>
    internal async Task<long> RecordAsync(SimulatorHost sim, long endMs, long started, CancellationToken token,
        Func<long, CancellationToken, Task>? afterStep = null, TimeSpan? stateInterval = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var exporters = Instruments.GroupBy(i => i.Exchange).Select(g => new ExporterService(new ExporterOptions
        {
            Exchange = g.Key,
            InstIds = g.Select(i => i.InstId).ToArray(),
            OkxWsPublic = sim.Endpoints.OkxWsPublic,
            OkxWsBusiness = sim.Endpoints.OkxWsBusiness,
            OkxRest = sim.Endpoints.OkxRest,
            BinanceWs = sim.Endpoints.BinanceWs,
            BinanceRest = sim.Endpoints.BinanceRest,
            // recvTs and the watermark are in the market's (stepped) time, so the event-time bound needs no widening.
            StateInterval = stateInterval ?? ExporterOptions.DefaultStateInterval,
        }, vault, new SimTimeProvider(sim.Clock))).ToList();
        var runs = exporters.Select(e => e.RunAsync(stop.Token)).ToList();
        try
        {
            var feed = sim.Context.Feed;
            // Before the market moves: each exporter subscribed (it sees the first trade live) and holding REST's newest
            // trade as its baseline (taken on connect; had the market moved first, the trades before it would be lost).
            await UntilAsync(() => exporters.All(e => e.Started.IsCompletedSuccessfully), runs, "the exporters to start", token);
            var recorders = exporters.SelectMany(e => e.Recorders).ToList();
            await UntilAsync(() => recorders.All(r => feed.Subscribers(r.InstId) > 0 && r.ContiguousId >= 0), runs,
                "the exporters to subscribe and take their REST baseline", token);
            await progress.WriteLineAsync($"demo: exporters subscribed after {_time.GetElapsedTime(started).TotalSeconds:0} s; the market starts ...");

            // Trades each recorder holds from before the market's start (its baseline trade, fetched from REST once the
            // first live trade shows the hole below it); known once it is contiguous up to the tape.
            var before = new long?[recorders.Count];
            var lastReport = _time.GetTimestamp();
            for (var now = sim.Clock.NowMs; now < endMs;)
            {
                now = Math.Min(endMs, now + (long)Step.TotalMilliseconds);
                sim.AdvanceTo(now);
                await UntilAsync(() => Recorded(recorders, feed, before), runs, "the exporters to record the published trades", token);
                if (afterStep is not null)
                {
                    await afterStep(now, token);
                }

                if (_time.GetElapsedTime(lastReport) >= ReportEvery)
                {
                    lastReport = _time.GetTimestamp();
                    await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"demo: market at {DateTimeOffset.FromUnixTimeMilliseconds(now):HH:mm}Z, {recorders.Sum(r => r.Trades):N0} trades recorded"));
                }
            }

            // Every id through the last one published is on disk (bounded REST fills of any hole included).
            await UntilAsync(() => recorders.All(r => feed.LastTradeIdPublished(r.InstId) is not { } last || r.ContiguousId >= last), runs,
                "the exporters to close every id hole", token);
            return recorders.Sum(r => r.Trades);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
            _log.Debug("Demo exporters stopped");
        }
    }

    /// <summary>
    /// Every trade published so far is recorded: while a recorder's trades from before the start are unknown it must be
    /// contiguous up to the last id published; after that its count must reach the tape's plus those.
    /// </summary>
    private static bool Recorded(List<InstrumentRecorder> recorders, Simulator.Live.LiveFeed feed, long?[] before)
    {
        for (var i = 0; i < recorders.Count; i++)
        {
            var recorder = recorders[i];
            var published = feed.TradesPublished(recorder.InstId);
            if (before[i] is { } known)
            {
                if (recorder.Trades < published + known)
                {
                    return false;
                }

                continue;
            }

            if (feed.LastTradeIdPublished(recorder.InstId) is not { } last)
            {
                continue; // nothing published yet
            }

            if (recorder.ContiguousId < last)
            {
                return false;
            }

            before[i] = recorder.Trades - published;
        }

        return true;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; an exporter that ends or makes no progress for a minute ends the demo with the cause.</summary>
    private async Task UntilAsync(Func<bool> condition, List<Task> runs, string what, CancellationToken token)
    {
        var since = _time.GetTimestamp();
        for (var spins = 0; !condition(); spins++)
        {
            if (runs.FirstOrDefault(r => r.IsCompleted) is { } ended)
            {
                await ended; // its exception is the cause
                throw new InvalidOperationException($"demo: an exporter stopped while waiting for {what}");
            }

            if (_time.GetElapsedTime(since) > StallBound)
            {
                throw new TimeoutException($"demo: waited {StallBound.TotalSeconds:0} s for {what}");
            }

            // Usually a thread-pool hop or two is enough; sleep only when it is not.
            if (spins < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), _time, token);
            }
        }
    }

    /// <summary>The demo's strategy on each instrument, named <paramref name="prefix"/>{exchange}; <paramref name="parameters"/> is a <c>parameters:</c> section, if any.</summary>
    internal static IEnumerable<StrategyConfig> Strategies(string prefix = "vwap_mr_", string? parameters = null)
    {
        var registry = StrategyRegistry.CreateDefault();
        foreach (var (exchange, instId) in Instruments)
        {
            var id = prefix + exchange;
            yield return registry.Parse($"""
                id: {id}
                strategy: vwap_mean_reversion
                exchange: {exchange}
                instId: {instId}
                """ + (parameters is null ? "" : "\n" + parameters), "demo");
        }
    }
}
