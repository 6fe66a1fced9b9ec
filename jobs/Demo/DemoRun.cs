using System.Diagnostics;
using System.Globalization;
using Pipeline.Calculators.Runner;
using Pipeline.Exporter;
using Pipeline.Simulator;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Jobs.Demo;

/// <summary>
/// The demo's steps: start the simulator on loopback with a fixed seed and start time, stream the
/// requested hours at high speed while the real exporters record them over WebSocket, then run the
/// calculators and the strategy over the vault exactly as the scheduled jobs would.
/// </summary>
public sealed class DemoRun(VaultLayout vault, TimeSpan span, ulong seed, TextWriter progress)
{
    /// <summary>A fixed origin, so every demo run sees the same market.</summary>
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TargetStreamTime = TimeSpan.FromSeconds(35);
    private const double FillsPerSecond = 12;

    private static readonly (string Exchange, string InstId)[] Instruments = [("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT")];

    private readonly ILogger _log = Log.ForContext<DemoRun>();

    public async Task<DemoSummary> RunAsync(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var endMs = Start.ToUnixTimeMilliseconds() + (long)span.TotalMilliseconds;
        await progress.WriteLineAsync($"demo: simulating {span.TotalHours:0.#} h of market from {Start:yyyy-MM-dd HH:mm}Z (seed {seed}) into {vault.Root}");
        await using (var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = Instruments.Select(i => i.InstId).ToArray(),
            Rate = FillsPerSecond,
            Seed = seed,
            Start = Start,
            Speed = Math.Max(1, span.TotalSeconds / TargetStreamTime.TotalSeconds),
        }, token))
        {
            await RecordAsync(sim, endMs, token);
        }

        await progress.WriteLineAsync($"demo: recorded in {clock.Elapsed.TotalSeconds:0} s; computing minute outputs ...");
        long minutes = 0;
        foreach (var (exchange, instId) in Instruments)
        {
            minutes += CalculatorRunner.RunOnce(vault, new CalcOptions(), exchange, instId, token).BarsEmitted;
        }

        await progress.WriteLineAsync("demo: running the VWAP mean-reversion strategy (paper) ...");
        long signals = 0, fills = 0;
        var reports = new List<PerformanceReport>();
        foreach (var strategy in Strategies())
        {
            var result = new LiveExecutor(vault, strategy).RunToEnd(null, token);
            signals += result.Actions.Where(a => a.Key is "long" or "short").Sum(a => a.Value);
            var ledger = LedgerReader.ReadFills(vault, strategy.Id);
            fills += ledger.Count;
            reports.Add(PerformanceReport.FromFills(ledger)); // ids are per strategy: one report each
        }

        var roundTrips = reports.Sum(r => r.TradeCount);
        return new DemoSummary
        {
            Vault = vault.Root,
            Simulated = span,
            Elapsed = clock.Elapsed,
            Trades = TradesRecorded(),
            Minutes = minutes,
            Signals = signals,
            Fills = fills,
            RoundTrips = roundTrips,
            WinRatePct = roundTrips == 0 ? 0 : 100m * reports.Sum(r => r.Wins) / roundTrips,
            NetPnl = reports.Sum(r => r.NetPnl),
            FeesPaid = reports.Sum(r => r.FeesPaid),
        };
    }

    private async Task RecordAsync(SimulatorHost sim, long endMs, CancellationToken token)
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
            // The demo replays a fixed past date on the simulator's (accelerated) clock: recvTs and the watermark
            // are in the market's time, so the event-time bound needs no widening.
        }, vault, new SimTimeProvider(sim.Clock))).ToList();
        var runs = exporters.Select(e => e.RunAsync(stop.Token)).ToList();
        var lastReport = Stopwatch.StartNew();
        while (!token.IsCancellationRequested && runs.All(r => !r.IsCompleted))
        {
            var watermark = Watermarks().DefaultIfEmpty(0).Min();
            if (watermark >= endMs)
            {
                break;
            }

            if (lastReport.Elapsed >= TimeSpan.FromSeconds(5))
            {
                lastReport.Restart();
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"demo: market at {DateTimeOffset.FromUnixTimeMilliseconds(sim.Clock.NowMs):HH:mm}Z, recorded up to {DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(watermark, sim.Clock.StartMs)):HH:mm}Z, {TradesRecorded():N0} trades"));
            }

            await Task.Delay(250, token);
        }

        await stop.CancelAsync();
        await Task.WhenAll(runs);
        _log.Debug("Demo exporters stopped");
    }

    private IEnumerable<long> Watermarks() =>
        Instruments.Select(i => new StateFile<ExporterState>(vault.ExporterState(i.Exchange, i.InstId)).Read()?.WatermarkTs ?? 0);

    private long TradesRecorded() =>
        Instruments.Sum(i => new StateFile<ExporterState>(vault.ExporterState(i.Exchange, i.InstId)).Read()?.Counters.Trades ?? 0);

    private static IEnumerable<StrategyConfig> Strategies()
    {
        var registry = StrategyRegistry.CreateDefault();
        foreach (var (exchange, instId) in Instruments)
        {
            var id = "vwap_mr_" + exchange;
            yield return registry.Parse($"""
                id: {id}
                strategy: vwap_mean_reversion
                exchange: {exchange}
                instId: {instId}
                """, "demo");
        }
    }
}
