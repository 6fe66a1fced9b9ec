using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// One pass of `pipeline signal` for one strategy: restores the engine from
/// state/executor/{id}.json, cuts the ledger back to the recorded lengths, reads the minutes every
/// calculator has finished since the last decided one and the raw trades up to the end of the last
/// of them, feeds both to the engine in event-time order, syncs the ledger, then writes the risk gate's state
/// (state/risk/{id}.json, <see cref="RiskStore"/>) and the executor's state. The gate is loaded at the start of the
/// pass with the kill switch (state/risk/{id}.kill.json), so its halts survive a restart.
/// A crash anywhere repeats the pass's work exactly once on the next run.
/// </summary>
public sealed class LiveExecutor(VaultLayout vault, StrategyConfig config, TimeProvider? time = null, MinuteFieldMap? map = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string StatePath => vault.ExecutorState(config.Id);

    /// <summary>The persisted state, or null before the first pass.</summary>
    public ExecutorState? ReadState() => new StateFile<ExecutorState>(StatePath).Read();

    /// <summary>
    /// Passes until every finished minute is decided (a first run over a long history works through
    /// it two days at a time, writing the state after each chunk); the results are summed.
    /// </summary>
    public LivePassResult RunToEnd(long? startMinuteMs = null, CancellationToken cancellationToken = default)
    {
        var total = RunOnce(startMinuteMs, cancellationToken: cancellationToken);
        while (total.MoreAvailable && total.Minutes > 0)
        {
            var next = RunOnce(cancellationToken: cancellationToken);
            total = Sum(total, next);
        }

        return total;
    }

    /// <param name="startMinuteMs">First run only: ignore minutes before this (default: every minute on disk).</param>
    /// <param name="maxDays">At most this many days of minute files per pass (bounded memory); see <see cref="LivePassResult.MoreAvailable"/>.</param>
    /// <param name="cancellationToken">Stops between minutes; nothing of an unfinished pass is kept.</param>
    public LivePassResult RunOnce(long? startMinuteMs = null, int maxDays = 2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        var stateFile = new StateFile<ExecutorState>(StatePath);
        var state = stateFile.Read();
        if (state is not null && (state.Exchange != config.Exchange || state.InstId != config.InstId || state.Strategy != config.Strategy))
        {
            throw new InvalidOperationException(
                $"{StatePath} belongs to {state.Strategy} on {state.Exchange}/{state.InstId}, but {config.Source} says {config.Strategy} on {config.Exchange}/{config.InstId}; use another id or move the state and ledger away");
        }

        var minutesReader = MinuteRecordReader.For(vault, config, map);
        var minutes = minutesReader.ReadAfter(state?.Engine.LastMinuteMs, state is null ? startMinuteMs : null, maxDays);
        if (minutes.Count == 0)
        {
            Log.Information("{Strategy}: no new finished minute for {Exchange}/{InstId}", config.Id, config.Exchange, config.InstId);
            return new LivePassResult
            {
                LastMinuteMs = state?.Engine.LastMinuteMs, PositionOpen = state?.Engine.Position is not null,
                EntryPending = state?.Engine.Entry is not null, SkippedLines = minutesReader.Issues.Count,
                MoreAvailable = minutesReader.MoreDays,
            };
        }

        using var ledger = LedgerWriter.Open(vault, config, state?.Ledger);
        var counter = new CountingSink(ledger);
        var valued = config.WithContract(vault); // linear or inverse, from the raw trades' contract facts
        var risk = RiskStore.Load(vault, config.Id, config.Risk, config.InstId);
        var engine = new PaperTradingEngine(valued, valued.CreateStrategy(), counter, state?.Engine, risk);
        var trades = new RawTradeRangeReader(vault, config.Exchange, config.InstId);
        var horizon = minutes[^1].CloseTs;
        EngineFeed.Run(engine, minutes, trades.Read(state?.Trades, minutes[0].MinuteMs, horizon), cancellationToken);

        ledger.Sync();
        RiskStore.Save(vault, risk); // before the executor's state: a repeated pass re-books by id, nothing twice
        stateFile.Write(new ExecutorState
        {
            Strategy = config.Strategy, Exchange = config.Exchange, InstId = config.InstId,
            Engine = engine.Snapshot(), Trades = trades.NextCursor, Ledger = ledger.Lengths(),
            UpdatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });

        Log.Information("{Strategy}: decided {Minutes} minutes up to {Last} over {Trades} trades: {Entries} entries placed, {Fills} fills",
            config.Id, minutes.Count, LedgerJson.MinuteIso(minutes[^1].MinuteMs), trades.TradesRead, counter.Entries, counter.Fills);
        return new LivePassResult
        {
            Minutes = minutes.Count, Trades = trades.TradesRead, Entries = counter.Entries, Exits = counter.Exits,
            Orders = counter.Orders, Fills = counter.Fills, Actions = counter.Actions, LastMinuteMs = engine.LastMinuteMs,
            PositionOpen = engine.Position is not null, EntryPending = engine.PendingEntry is not null,
            LateTrades = engine.LateTrades, SkippedLines = minutesReader.Issues.Count + trades.Issues.Count,
            MoreAvailable = minutesReader.MoreDays,
        };
    }

    private static LivePassResult Sum(LivePassResult a, LivePassResult b) => b with
    {
        Minutes = a.Minutes + b.Minutes,
        Trades = a.Trades + b.Trades,
        Entries = a.Entries + b.Entries,
        Exits = a.Exits + b.Exits,
        Orders = a.Orders + b.Orders,
        Fills = a.Fills + b.Fills,
        Actions = a.Actions.Concat(b.Actions).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal),
        SkippedLines = a.SkippedLines + b.SkippedLines,
        LastMinuteMs = b.LastMinuteMs ?? a.LastMinuteMs,
    };

    private sealed class CountingSink(IExecutionSink inner) : IExecutionSink
    {
        public Dictionary<string, int> Actions { get; } = new(StringComparer.Ordinal);
        public int Entries { get; private set; }
        public int Exits { get; private set; }
        public int Orders { get; private set; }
        public int Fills { get; private set; }

        public void OnSignal(SignalRecord signal)
        {
            Actions[signal.ActionText] = Actions.GetValueOrDefault(signal.ActionText) + 1;
            inner.OnSignal(signal);
        }

        public void OnOrder(OrderEvent order)
        {
            Orders++;
            if (order is { Event: "placed", Kind: "entry" })
            {
                Entries++;
            }

            inner.OnOrder(order);
        }

        public void OnFill(FillEvent fill)
        {
            Fills++;
            if (fill.Kind != "entry")
            {
                Exits++;
            }

            inner.OnFill(fill);
        }

        public void OnPosition(PositionEvent position) => inner.OnPosition(position);
    }
}
