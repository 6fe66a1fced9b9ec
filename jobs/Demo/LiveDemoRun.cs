using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Runner;
using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Jobs.Strategies;
using Pipeline.Simulator;
using Pipeline.Simulator.Trading;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Jobs.Demo;

/// <summary>
/// <c>pipeline demo --live</c>: the demo's market, recorded by the real exporters as in <see cref="DemoRun"/>, but traded
/// WHILE it runs by the live path: a <see cref="VenueExecutor"/> per instrument sending signed orders through
/// <see cref="BinanceOrderVenue"/> and <see cref="OkxOrderVenue"/> to the simulator's private API, with fills from its user
/// stream and private WebSocket. The simulator's exchange fills a resting order only on a later print, so the calculators
/// and executors run after every step of the market, not after it. Afterwards the paper executor trades the same vault for
/// comparison, and the simulator's own record of the account is the truth the summary is checked against.
/// </summary>
/// <remarks>
/// The account is a throw-away one made for this run (<see cref="SimAccountSpec.Generate"/>): its key and secret go from
/// the simulator's options to the venues' credentials in memory, never through a command line, a file or the output.
/// </remarks>
/// <param name="parameters">A <c>parameters:</c> section for the demo's strategies (tests use a quicker one), or null.</param>
/// <param name="truthDir">Where the simulator writes its ground truth (trading/{account}.jsonl), or null.</param>
public sealed class LiveDemoRun(VaultLayout vault, TimeSpan span, ulong seed, TextWriter progress, TimeProvider? time = null,
    string? parameters = null, string? truthDir = null)
{
    /// <summary>The live strategies' ids: {prefix}{exchange}; the paper comparison keeps the paper demo's vwap_mr_{exchange}.</summary>
    public const string LivePrefix = "vwap_live_";

    /// <summary>The simulator account's name (its truth file is trading/{name}.jsonl).</summary>
    public const string Account = "demo";

    /// <summary>
    /// The exporters write their watermark this often (wall time) instead of every second: the calculators take a minute as
    /// final from it, and the stepped market runs minutes of event time per wall second.
    /// </summary>
    private static readonly TimeSpan StateInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long (wall time) a step waits for the venues to report the fills the exchange made before going on.</summary>
    private static readonly TimeSpan FillWait = TimeSpan.FromSeconds(10);

    private readonly ILogger _log = Log.ForContext<LiveDemoRun>();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<LiveDemoSummary> RunAsync(CancellationToken token)
    {
        var started = _time.GetTimestamp();
        var endMs = DemoRun.Start.ToUnixTimeMilliseconds() + (long)span.TotalMilliseconds;
        await progress.WriteLineAsync($"demo: simulating {span.TotalHours:0.#} h of market from {DemoRun.Start:yyyy-MM-dd HH:mm}Z (seed {seed}) into {vault.Root}");
        var account = SimAccountSpec.Generate(Account);
        var options = DemoRun.SimulatorOptions(seed, _time) with { Micro = true, Accounts = [account], TruthDir = truthDir };
        var strategies = DemoRun.Strategies(LivePrefix, parameters).ToList();
        var demo = new DemoRun(vault, span, seed, progress, _time);
        var calc = new CalcOptions { Time = _time };
        long trades;
        var legs = new List<Leg>();
        LiveDemoTruth truth;
        await using (var sim = await SimulatorHost.StartAsync(options, token))
        {
            var exchange = sim.Context.Private!;
            var simAccount = exchange.FindByKey(account.ApiKey)!;
            try
            {
                foreach (var strategy in strategies)
                {
                    var venue = Venue(strategy.Exchange, sim, account);
                    // From the market's first minute: the executor's own default, the wall clock's minute, lies months after it.
                    legs.Add(new Leg(strategy, venue, new VenueExecutor(vault, strategy, venue, _time,
                        new VenueExecutorOptions { StartMinuteMs = DemoRun.Start.ToUnixTimeMilliseconds() })));
                }

                // Connected and reconciled (an empty account) before the market moves: the first minute is traded like any other.
                foreach (var leg in legs)
                {
                    await leg.Executor.StartAsync(token);
                }

                await progress.WriteLineAsync(
                    $"demo: trading live through the Binance and OKX order adapters against the simulator's private API (account {Account}, key {ApiCredentials.MaskKey(account.ApiKey)})");
                var computedUpTo = DemoRun.Start.ToUnixTimeMilliseconds();
                trades = await demo.RecordAsync(sim, endMs + (long)DemoRun.Tail.TotalMilliseconds, started, token, async (nowMs, ct) =>
                {
                    // A minute is final once the exporters' watermark passes its end plus the lateness: compute it (again
                    // at the next steps while the watermark they saved is behind), then decide on it.
                    var finalUpTo = TradeTime.MinuteFloor(nowMs - (long)calc.AllowedLateness.TotalMilliseconds);
                    var newMinutes = false;
                    if (finalUpTo > computedUpTo)
                    {
                        var upTo = Calculate(calc, ct);
                        newMinutes = upTo > computedUpTo;
                        computedUpTo = upTo;
                    }

                    await StepAsync(legs, exchange, simAccount, all: newMinutes, ct);
                }, StateInterval);

                // The market has ended: the last minutes become final once the exporters have stopped; decide them too.
                Calculate(calc, token);
                await StepAsync(legs, exchange, simAccount, all: true, token);
                truth = Truth(exchange, simAccount);
            }
            finally
            {
                foreach (var leg in legs)
                {
                    await leg.Executor.DisposeAsync();
                    await leg.Venue.DisposeAsync();
                }
            }
        }

        var minutes = DemoRun.Instruments.Sum(i => (long)MinutesIn(i.Exchange, i.InstId));
        var live = legs.Select(l => Result(l.Strategy, l.Executor.Status)).ToList();

        await progress.WriteLineAsync("demo: the same market on paper (VWAP mean reversion, paper executor) ...");
        var paper = new List<LiveDemoSide>();
        foreach (var strategy in DemoRun.Strategies(parameters: parameters))
        {
            _ = new LiveExecutor(vault, strategy, _time).RunToEnd(null, token);
            paper.Add(Result(strategy));
        }

        await progress.WriteLineAsync($"demo: done in {_time.GetElapsedTime(started).TotalSeconds:0} s");
        return new LiveDemoSummary
        {
            Vault = vault.Root,
            Simulated = span,
            From = DemoRun.Start,
            Seed = seed,
            Trades = trades,
            Minutes = minutes,
            Live = live,
            Paper = paper,
            Truth = truth,
        };
    }

    private static IOrderVenue Venue(string exchange, SimulatorHost sim, SimAccountSpec account) => exchange switch
    {
        TradingVenues.Binance => new BinanceOrderVenue(
            new BinanceVenueOptions { Rest = sim.Endpoints.BinanceRest, UserStream = sim.Endpoints.BinanceWs, Testnet = true },
            ApiCredentials.Create(TradingVenues.Binance, account.ApiKey, account.Secret, null, "the demo's simulator account"),
            TimeProvider.System),
        TradingVenues.Okx => new OkxOrderVenue(
            new OkxVenueOptions { Rest = sim.Endpoints.OkxRest, PrivateWs = new Uri(sim.Endpoints.OkxWsPublic, "/ws/v5/private"), Demo = true },
            ApiCredentials.Create(TradingVenues.Okx, account.ApiKey, account.Secret, account.Passphrase, "the demo's simulator account"),
            TimeProvider.System),
        _ => throw new InvalidOperationException($"the demo trades no instrument on {exchange}"),
    };

    /// <summary>One calculator pass per instrument; returns the minute before which every instrument's minutes are computed.</summary>
    private long Calculate(CalcOptions calc, CancellationToken token)
    {
        var upTo = long.MaxValue;
        foreach (var (exchange, instId) in DemoRun.Instruments)
        {
            CalculatorRunner.RunOnce(vault, calc, exchange, instId, token);
            var next = new StateFile<BarsState>(vault.CalcState(BarLine.Calc, exchange, instId)).Read()?.NextMinute ?? long.MinValue;
            upTo = Math.Min(upTo, next);
        }

        return upTo;
    }

    /// <summary>
    /// One step of each executor that has something to do: all of them when a minute became final (a decision), else
    /// those with a position, an open order or a fill the exchange made that they have not booked (a flat executor with
    /// nothing at the exchange only reads trades, and does so at its next step: each step saves its state durably, and
    /// skipping idle ones keeps the demo quick). Then, while the exchange has made fills an executor has not booked yet
    /// (its user stream is a little behind), step again, so each decision sees the fills before it, as at a real pace.
    /// </summary>
    private async Task StepAsync(List<Leg> legs, PrivateExchange exchange, PrivateAccount account, bool all, CancellationToken token)
    {
        foreach (var leg in legs)
        {
            var busy = leg.Executor.Status.Position != 0m || exchange.OpenOrders(account, leg.Strategy.InstId).Count > 0
                || leg.Executor.Status.Fills < exchange.FillCount(account, leg.Strategy.InstId);
            if (!all && !busy)
            {
                continue;
            }

            await leg.Executor.StepAsync(token);
            var since = _time.GetTimestamp();
            int made;
            while (leg.Executor.Status.Fills < (made = exchange.FillCount(account, leg.Strategy.InstId)))
            {
                // The missing fills come through the venue's stream: wait for its next event (bounded), then take it in.
                var left = FillWait - _time.GetElapsedTime(since);
                if (left <= TimeSpan.Zero || !await NextEventAsync(leg.Venue, left, token))
                {
                    _log.Warning("Demo: {Strategy} has booked {Booked} of the {Made} fills the exchange made after {Wait}; going on",
                        leg.Strategy.Id, leg.Executor.Status.Fills, made, FillWait);
                    break;
                }

                await leg.Executor.StepAsync(token);
            }
        }
    }

    /// <summary>Waits until the venue has an event to read; false when none came within <paramref name="bound"/> or the stream has ended.</summary>
    private async Task<bool> NextEventAsync(IOrderVenue venue, TimeSpan bound, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(bound, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        try
        {
            return await venue.Events.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return false;
        }
    }

    private static LiveDemoTruth Truth(PrivateExchange exchange, PrivateAccount account)
    {
        var fills = DemoRun.Instruments.SelectMany(i => exchange.Fills(account, i.InstId, 0)).ToList();
        return new LiveDemoTruth(fills.Count, fills.Sum(f => f.Fill.Fee), fills.Sum(f => f.Fill.RealizedPnl));
    }

    private LiveDemoSide Result(StrategyConfig strategy, VenueExecutorStatus status)
    {
        var fills = LedgerReader.ReadFills(vault, strategy.Id);
        var report = PerformanceReport.FromFills(fills);
        return new LiveDemoSide(strategy.Id, strategy.Exchange, Signals(strategy), Orders(strategy.Id), status.OrdersRejected, fills.Count,
            report.TradeCount, report.Wins, report.NetPnl, report.FeesPaid, status.Position);
    }

    private LiveDemoSide Result(StrategyConfig strategy)
    {
        var fills = LedgerReader.ReadFills(vault, strategy.Id);
        var report = PerformanceReport.FromFills(fills);
        var position = 0m;
        foreach (var fill in fills)
        {
            position += fill.Side == "buy" ? fill.Qty : -fill.Qty;
        }

        return new LiveDemoSide(strategy.Id, strategy.Exchange, Signals(strategy), Orders(strategy.Id), 0, fills.Count, report.TradeCount, report.Wins,
            report.NetPnl, report.FeesPaid, position);
    }

    /// <summary>Orders in the strategy's ledger (distinct order ids: entries, take-profits, exits), counted alike for live and paper.</summary>
    private int Orders(string strategy)
    {
        var path = vault.LedgerOrders(strategy);
        if (!File.Exists(path))
        {
            return 0;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Where(l => l.EndsWith('}')))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("orderId", out var id) && id.GetString() is { } text)
            {
                ids.Add(text);
            }
        }

        return ids.Count;
    }

    /// <summary>Long and short signals the strategy wrote (derived/signals/{id}/...), the same files for paper and live.</summary>
    private long Signals(StrategyConfig strategy)
    {
        var dir = Path.GetDirectoryName(vault.SignalsDay(strategy.Id, strategy.Exchange, strategy.InstId, DateOnly.MinValue))!;
        long count = 0;
        foreach (var day in VaultLayout.ListDays(dir))
        {
            foreach (var line in File.ReadLines(vault.SignalsDay(strategy.Id, strategy.Exchange, strategy.InstId, day)))
            {
                if (!line.EndsWith('}'))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("action", out var action) && action.GetString() is "long" or "short")
                {
                    count++;
                }
            }
        }

        return count;
    }

    private int MinutesIn(string exchange, string instId)
    {
        var dir = vault.DerivedInstrumentDir(MinuteFieldMap.Default.BarsCalc, exchange, instId);
        return VaultLayout.ListDays(dir).Sum(day =>
        {
            var path = Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"));
            return File.Exists(path) ? File.ReadLines(path).Count(l => l.EndsWith('}')) : 0;
        });
    }

    private sealed record Leg(StrategyConfig Strategy, IOrderVenue Venue, VenueExecutor Executor);
}

/// <summary>What the simulator's exchange itself recorded for the demo account (its fills, fees and realised PnL, both venues).</summary>
public sealed record LiveDemoTruth(int Fills, decimal Fees, decimal RealizedPnl);

/// <summary>One strategy's result in the live demo (live or paper).</summary>
/// <param name="Position">Signed base quantity still open at the end.</param>
public sealed record LiveDemoSide(string Strategy, string Exchange, long Signals, long OrdersSent, long OrdersRejected, int Fills,
    int RoundTrips, int Wins, decimal NetPnl, decimal FeesPaid, decimal Position);
