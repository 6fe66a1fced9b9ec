using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// One pass of `pipeline signal` for one strategy: restores the engine from
/// state/executor/{id}.json, cuts the ledger back to the recorded lengths, reads the minutes every
/// calculator has finished since the last decided one and the raw trades up to the end of the last
/// of them, feeds both to the engine in event-time order, syncs the ledger, then writes the state.
/// A crash anywhere repeats the pass's work exactly once on the next run.
/// </summary>
public sealed class LiveExecutor(VaultLayout vault, StrategyConfig config, TimeProvider? time = null, MinuteFieldMap? map = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string StatePath => vault.ExecutorState(config.Id);

    /// <summary>The persisted state, or null before the first pass.</summary>
    public ExecutorState? ReadState() => new StateFile<ExecutorState>(StatePath).Read();

    /// <param name="startMinuteMs">First run only: ignore minutes before this (default: every minute on disk).</param>
    public LivePassResult RunOnce(long? startMinuteMs = null, CancellationToken cancellationToken = default)
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

        var window = config.Parameters is VwapMeanReversionParameters p ? p.BandWindow : BandWindow.OneHour;
        var minutesReader = new MinuteRecordReader(vault, config.Exchange, config.InstId, window, map);
        var minutes = minutesReader.ReadAfter(state?.Engine.LastMinuteMs, state is null ? startMinuteMs : null);
        if (minutes.Count == 0)
        {
            Log.Information("{Strategy}: no new finished minute for {Exchange}/{InstId}", config.Id, config.Exchange, config.InstId);
            return new LivePassResult
            {
                LastMinuteMs = state?.Engine.LastMinuteMs, PositionOpen = state?.Engine.Position is not null,
                EntryPending = state?.Engine.Entry is not null, SkippedLines = minutesReader.Issues.Count,
            };
        }

        using var ledger = LedgerWriter.Open(vault, config, state?.Ledger);
        var counter = new CountingSink(ledger);
        var engine = new PaperTradingEngine(config, config.CreateStrategy(), counter, state?.Engine);
        var trades = new RawTradeRangeReader(vault, config.Exchange, config.InstId);
        var horizon = minutes[^1].CloseTs;
        EngineFeed.Run(engine, minutes, trades.Read(state?.Trades, minutes[0].MinuteMs, horizon), cancellationToken);

        ledger.Sync();
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
        };
    }

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
