using System.Globalization;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// The strategy traded through an <see cref="IOrderVenue"/>: a live exchange (Binance USD-M, OKX) or the paper model
/// (<see cref="PaperVenue"/>). The same strategy, gates, time-to-live, exit levels and PnL as
/// <see cref="PaperTradingEngine"/>; only who fills the orders differs.
/// <list type="bullet">
/// <item>Event time: decisions use the newest raw trade read from the vault (and minute ends), as paper does; the
/// TimeProvider only paces <see cref="RunAsync"/> and the periodic reconciliation.</item>
/// <item>Each step: venue events (orders, fills, position, stream gaps), settling of unknown outcomes and retries, then
/// the new raw trades (time-to-live, risk prices and flatten requests, the tape for a paper venue, the stop) merged in
/// event order with the newly finished minutes (strategy, gates, entry or exit), then the ledger is synced and the risk
/// and executor state written.</item>
/// <item>Ledger before send: every order's intent is appended to ledger/{id}/orders.jsonl as "sending" and fsynced
/// before <see cref="IOrderVenue.PlaceAsync"/>; an order id in the ledger is never sent again. Ids are
/// <see cref="ClientOrderIds"/> of (strategy, signal minute, leg, attempt), so a minute re-decided after a crash carries
/// the id of the order that may already exist.</item>
/// <item>Reconciliation (at start, after a <see cref="VenueStreamGap"/>, every <see cref="VenueExecutorOptions.ReconcileEvery"/>):
/// every unsettled order is queried, unknown open orders of this strategy are cancelled, missed fills are fetched, and
/// the venue's position is compared with the ledger's (a mismatch halts new entries).</item>
/// </list>
/// Not thread-safe except <see cref="Status"/>: one caller drives Start/Step/Run. The venue is the caller's to dispose.
/// </summary>
public sealed class VenueExecutor : IAsyncDisposable
{
    private const int MaxTradesPerStep = 200_000;
    private const long FillLookbackMs = 60_000;

    private readonly VaultLayout _vault;
    private readonly StrategyConfig _config;
    private readonly IOrderVenue _venue;
    private readonly TimeProvider _time;
    private readonly VenueExecutorOptions _options;
    private readonly ExecutionSettings _x;
    private readonly ITapeListener? _tape;
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resend = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedThisStep = new(StringComparer.Ordinal);
    private readonly HashSet<VenueErrorKind> _loggedKinds = [];
    private readonly Dictionary<string, decimal> _fillsReported = new(StringComparer.Ordinal);

    private StrategyConfig _valued;
    private ContractTerms _contract;
    private VenueLedger? _ledger;
    private RiskGate? _risk;
    private IStrategy? _strategy;
    private MinuteRecordReader? _minutes;
    private RawTradeTail? _tail;
    private TradeCursor _cursor = new(DateOnly.MinValue, 0, 0);
    private long? _lastMinuteMs;
    private long _now;

    /// <summary>The newest raw trade read so far (event time), and whether more was waiting when it was read: how far the tape is known to run.</summary>
    private long _tapeEnd;
    private bool _tapeBehind;
    private long _lateTrades;
    private decimal? _lastPx;
    private VenueTrade? _trade;
    private bool _started;
    private bool _reconciled;
    private bool _reconcileDue;
    private long? _fillsSince;
    private DateTimeOffset _nextReconcileAt;
    private string? _mismatch;
    private VenuePosition? _venuePosition;
    private string? _lastError;
    private long _ordersSent;
    private long _ordersRejected;
    private long _fills;
    private int _stepSent;
    private int _stepFills;
    private volatile VenueExecutorStatus _status;
    private long _riskChanges;
    private (TradeCursor, long?, long, long, string?, long, long)? _saved;

    public VenueExecutor(VaultLayout vault, StrategyConfig config, IOrderVenue venue, TimeProvider time, VenueExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(time);
        _vault = vault;
        _config = config;
        _valued = config;
        _venue = venue;
        _time = time;
        _options = options ?? new VenueExecutorOptions();
        _x = config.Execution;
        _tape = venue as ITapeListener;
        _contract = config.Contract ?? ContractTerms.Linear(config.InstId);
        _status = new VenueExecutorStatus(config.Id, venue.Venue, 0, 0, 0, 0m, 0m, 0m, 0m, null, null, null, []);
    }

    /// <summary>A consistent snapshot for /health, /metrics and status (safe from any thread).</summary>
    public VenueExecutorStatus Status => _status;

    /// <summary>
    /// Connects the venue, loads the state, the ledger (client ids sent, fills recorded) and the risk gate, and reconciles
    /// with the venue; nothing is decided before it returns. A bad key (<see cref="VenueErrorKind.Auth"/>) is thrown.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_started)
        {
            throw new InvalidOperationException($"{_config.Id}: the venue executor is already started");
        }

        _valued = _config.WithContract(_vault);
        _contract = _valued.Contract ?? ContractTerms.Linear(_config.InstId);
        if (_contract.Inverse)
        {
            throw new InvalidOperationException(
                $"{_config.Id}: {_config.Exchange}/{_config.InstId} is an inverse contract; the venue executor trades linear contracts only (quantities in the base coin, PnL in the quote)");
        }

        if (File.Exists(_vault.ExecutorState(_config.Id)))
        {
            throw new InvalidOperationException(
                $"{_vault.ExecutorState(_config.Id)} exists: strategy {_config.Id} is traded by `pipeline signal` (paper); give the venue strategy its own id so the two ledgers never mix");
        }

        var state = new StateFile<VenueState>(_vault.VenueState(_config.Id)).Read();
        if (state is not null && (state.Exchange != _config.Exchange || state.InstId != _config.InstId || state.Strategy != _config.Strategy))
        {
            throw new InvalidOperationException(
                $"{_vault.VenueState(_config.Id)} belongs to {state.Strategy} on {state.Exchange}/{state.InstId}, but {_config.Source} says {_config.Strategy} on {_config.Exchange}/{_config.InstId}; use another id or move the state and ledger away");
        }

        await _venue.ConnectAsync([_config.InstId], ct).ConfigureAwait(false);
        _ledger = VenueLedger.Open(_vault, _config);
        CheckLedgerIds();
        _risk = RiskStore.Load(_vault, _config.Id, _config.Risk, _config.InstId);
        foreach (var fill in _ledger.RecentFills)
        {
            // Fills recorded by a step whose risk state was never written (a crash): the gate books each id once.
            _risk.OnFill(RiskFill.From(fill, _config.InstId));
        }

        _strategy = _valued.CreateStrategy();
        _minutes = MinuteRecordReader.For(_vault, _valued);
        _tail = new RawTradeTail(_vault, _config.Exchange, _config.InstId);
        if (state is null && (_options.StartMinuteMs ?? (_tail.NewestTs() is { } newest ? TradeTime.MinuteFloor(newest) : null)) is { } start)
        {
            // A first start decides from the minute of the newest trade on disk (event time now): never on history.
            _lastMinuteMs = start - TradeTime.MsPerMinute;
            _cursor = new TradeCursor(TradeTime.Day(start), 0, start);
            _now = start;
        }
        else if (state is null)
        {
            _cursor = new TradeCursor(DateOnly.MinValue, 0, long.MinValue); // nothing recorded yet: from the first trade on
        }
        else
        {
            _lastMinuteMs = state.LastMinuteMs;
            _cursor = state.Trades;
            _now = state.Now;
            _lateTrades = state.LateTrades;
            _mismatch = state.PositionMismatch;
            _strategy.RestoreState(state.StrategyState);
        }

        _trade = RebuildTrade();
        _started = true;
        Log.Information("{Strategy}: trading {Exchange}/{InstId} through {Venue}; {Orders} orders and {Fills} fills in the ledger, deciding after {Minute}",
            _config.Id, _config.Exchange, _config.InstId, _venue.Venue, _ledger.Orders.Count, _ledger.FillIds.Count,
            _lastMinuteMs is { } m ? LedgerJson.MinuteIso(m) : "-");
        await ReconcileAsync(full: true, ct).ConfigureAwait(false);
        Save();
        Publish();
    }

    /// <summary>One step: venue events, settling, new trades and minutes, then ledger, risk and state on disk.</summary>
    public async Task<VenueStepResult> StepAsync(CancellationToken ct)
    {
        if (!_started)
        {
            throw new InvalidOperationException($"{_config.Id}: call StartAsync before StepAsync");
        }

        _stepSent = 0;
        _stepFills = 0;
        _failedThisStep.Clear();
        var minutesDecided = 0;
        var tradesRead = 0;
        try
        {
            _risk!.SetKill(RiskStore.KillFile(_vault, _config.Id).Read());
            await DrainAsync(ct).ConfigureAwait(false);
            if (_reconcileDue || !_reconciled || _time.GetUtcNow() >= _nextReconcileAt)
            {
                await ReconcileAsync(full: _reconcileDue || !_reconciled, ct).ConfigureAwait(false);
            }

            if (!_reconciled)
            {
                return Result(0, 0); // nothing is decided before the venue has been reconciled
            }

            await SettleAsync(ct).ConfigureAwait(false);
            var trades = _tail!.Read(ref _cursor, MaxTradesPerStep, out var caughtUp);
            tradesRead = trades.Count;
            _tapeEnd = trades.Count > 0 ? Math.Max(_tapeEnd, trades[^1].Ts) : _tapeEnd;
            _tapeBehind = !caughtUp;
            var minutes = _minutes!.ReadAfter(_lastMinuteMs, null, 2);
            var next = 0;
            foreach (var trade in trades)
            {
                while (next < minutes.Count && minutes[next].CloseTs <= trade.Ts)
                {
                    await DecideAsync(minutes[next++], ct).ConfigureAwait(false);
                    minutesDecided++;
                }

                await OnTradeAsync(trade, ct).ConfigureAwait(false);
            }

            // A minute is decided once the trades of its last instant are read: always when the tail is caught up
            // (the calculators wrote the minute after its trades were on disk).
            while (caughtUp && next < minutes.Count)
            {
                await DecideAsync(minutes[next++], ct).ConfigureAwait(false);
                minutesDecided++;
            }

            await ExpireEntryAsync(ct).ConfigureAwait(false);
            if (_risk.FlattenDue(_now) is { } why)
            {
                await FlattenAsync(why, ct).ConfigureAwait(false); // a kill switch acts within one step, trades or not
            }

            await DrainAsync(ct).ConfigureAwait(false); // what the step's orders caused (fills of market exits) is recorded in it

            _loggedKinds.Clear();
            Save();
            return Result(minutesDecided, tradesRead);
        }
        catch
        {
            // No state is written for a step that failed (as if the process died here): the next start repeats it, and
            // the ledger (synced) and the client ids make the repeat send and record nothing twice.
            _ledger?.Sync();
            throw;
        }
        finally
        {
            Publish();
        }
    }

    /// <summary>
    /// <see cref="StartAsync"/> (unless started), then <see cref="StepAsync"/> every <see cref="VenueExecutorOptions.Poll"/>
    /// until <paramref name="ct"/> is cancelled. A bad key (<see cref="VenueErrorKind.Auth"/>) ends it: rethrown, never retried.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!_started)
            {
                try
                {
                    await StartAsync(ct).ConfigureAwait(false);
                }
                catch (VenueException ex) when (ex.Kind != VenueErrorKind.Auth && _ledger is null)
                {
                    Note(ex, "connect"); // the venue is down or busy: try again, a bad key never
                    Publish();
                    await Task.Delay(_options.Poll, _time, ct).ConfigureAwait(false);
                }
            }

            while (!ct.IsCancellationRequested)
            {
                await StepAsync(ct).ConfigureAwait(false);
                await Task.Delay(_options.Poll, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopped
        }
        catch (VenueException ex) when (ex.Kind == VenueErrorKind.Auth)
        {
            _lastError = ex.Message;
            Publish();
            Log.Error("{Strategy}: {Venue} refused the credentials: {Message}; stopping (not retried)", _config.Id, _venue.Venue, ex.Message);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _ledger?.Dispose();
        _ledger = null;
        return ValueTask.CompletedTask;
    }

    private VenueLedger Ledger => _ledger!;

    private VenueStepResult Result(int minutes, int trades) =>
        new(minutes, trades, _stepSent, _stepFills, _trade is { OpenQty: > 0 });

    // ---- events -------------------------------------------------------------------------------------------------

    private async Task DrainAsync(CancellationToken ct)
    {
        while (_venue.Events.TryRead(out var e))
        {
            switch (e)
            {
                case VenueOrderUpdate u:
                    ApplyOrder(u.Order, null);
                    break;
                case VenueFillUpdate f:
                    ApplyFill(f.Fill);
                    break;
                case VenuePositionUpdate p when p.Position.InstId == _config.InstId:
                    _venuePosition = p.Position;
                    break;
                case VenueStreamGap gap:
                    Log.Warning("{Strategy}: the {Venue} stream was down since {Since} ({Reason}); reconciling", _config.Id, _venue.Venue,
                        gap.SinceMs, gap.Reason);
                    _reconcileDue = true;
                    break;
            }
        }

        await AdvanceTradeAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Records what the venue says about an order (ack, event, query, cancel), once per event kind.</summary>
    private void ApplyOrder(VenueOrder order, string? reason)
    {
        if (!Ledger.Orders.TryGetValue(order.ClientOrderId, out var state))
        {
            if (IsOurs(order.ClientOrderId))
            {
                Log.Error("{Strategy}: {Venue} reports order {ClientOrderId} that the ledger never sent", _config.Id, _venue.Venue, order.ClientOrderId);
            }

            return;
        }

        _unknown.Remove(state.OrderId);
        _resend.Remove(state.OrderId);
        if (order.FilledQuantity > state.FilledQty)
        {
            _fillsReported[state.OrderId] = order.FilledQuantity; // the fills come as events, else from FillsAsync next step
        }

        if (state.IsFinal)
        {
            return;
        }

        switch (order.Status)
        {
            case VenueOrderStatus.New or VenueOrderStatus.PartiallyFilled when state.LastEvent == "sending":
                Write(state, "placed", order.Price, order.Quantity, reason ?? $"{_venue.Venue} order {order.VenueOrderId}");
                break;
            case VenueOrderStatus.Filled:
                Write(state, "filled", order.AveragePrice > 0 ? order.AveragePrice : order.Price, order.FilledQuantity,
                    reason ?? $"{_venue.Venue} order {order.VenueOrderId} filled");
                break;
            case VenueOrderStatus.Canceled or VenueOrderStatus.Expired:
                _failedThisStep.Add(state.OrderId); // e.g. OKX cancels a post-only that would take at once: a new attempt waits a step
                Write(state, "cancelled", order.Price, order.Quantity, reason ?? order.Reason ?? $"{_venue.Venue}: {order.Status.ToString().ToLowerInvariant()}");
                break;
            case VenueOrderStatus.Rejected:
                _ordersRejected++;
                _failedThisStep.Add(state.OrderId);
                Write(state, "rejected", order.Price, order.Quantity, order.Reason ?? $"{_venue.Venue}: rejected");
                break;
        }
    }

    private void Write(LedgerOrderState state, string what, decimal px, decimal qty, string reason) =>
        Ledger.Order(new OrderEvent(_now, state.OrderId, state.PositionId, what, state.Kind, state.Side, state.Type, px, qty, state.ExpiresTs, reason));

    /// <summary>Records a fill once (by venue trade id): ledger fill line, risk gate.</summary>
    private void ApplyFill(VenueFill fill)
    {
        var fillId = _venue.Venue + ":" + fill.TradeId;
        if (fill.InstId != _config.InstId || Ledger.FillIds.Contains(fillId))
        {
            return;
        }

        if (!Ledger.Orders.TryGetValue(fill.ClientOrderId, out var order) || order.PositionId is null)
        {
            if (IsOurs(fill.ClientOrderId))
            {
                Log.Error("{Strategy}: {Venue} fill {TradeId} of order {ClientOrderId} that the ledger never sent", _config.Id, _venue.Venue,
                    fill.TradeId, fill.ClientOrderId);
            }

            return;
        }

        var notional = fill.Quantity * fill.Price;
        Ledger.Fill(new FillEvent(fill.Ts, fillId, order.OrderId, order.PositionId, order.Kind, fill.Side == VenueSide.Buy ? "buy" : "sell",
            fill.Price, fill.Quantity, notional, fill.Maker ? "maker" : "taker", notional == 0 ? 0 : fill.Fee / notional, fill.Fee, fill.TradeId)
        {
            Inverse = false, NotionalCcy = _contract.NotionalCcy, FeeCcy = fill.FeeCcy,
        });
        if (_fillsReported.TryGetValue(order.OrderId, out var reported) && order.FilledQty >= reported)
        {
            _fillsReported.Remove(order.OrderId);
        }

        _risk!.OnFill(new RiskFill(fill.Ts, fillId, _config.InstId, fill.Side == VenueSide.Buy, fill.Quantity, fill.Price, fill.Fee));
        _fills++;
        _stepFills++;
    }

    /// <summary>Position lines and the orders a fill calls for: "open" and the take-profit once the entry is done, "close" when flat.</summary>
    private async Task AdvanceTradeAsync(CancellationToken ct)
    {
        if (_trade is not { } t)
        {
            return;
        }

        // Done = final with every fill the venue reported recorded (an order update can arrive before its fills).
        var fillsPending = _fillsReported.ContainsKey(t.Entry.OrderId);
        if (!t.Opened && t.EntryFilled > 0 && ((t.Entry.IsFinal && !fillsPending) || t.EntryFilled >= t.Entry.Qty))
        {
            WriteOpen(t);
        }

        if (t.Entry.FailedEmpty && !fillsPending)
        {
            _trade = null; // the entry ended unfilled: no position
            return;
        }

        if (t.Opened && t.OpenQty <= 0)
        {
            WriteClose(t);
            _trade = null;
            foreach (var order in t.OpenOrders.ToList())
            {
                await CancelAsync(order, "position closed", ct).ConfigureAwait(false);
            }

            return;
        }

        if (t.OpenQty > 0 && t.ExitWanted is { } kind)
        {
            await ExitAsync(t, kind, t.ExitReason ?? kind, ct).ConfigureAwait(false);
        }
        else if (t.Opened && t.ExitWanted is null && t.TakeProfit is null && t.OpenQty > 0)
        {
            await PlaceTakeProfitAsync(t, ct).ConfigureAwait(false);
        }
    }

    private void WriteOpen(VenueTrade t)
    {
        t.Opened = true;
        if (Ledger.Opened.Contains(t.PositionId))
        {
            return;
        }

        var e = t.Entry;
        Ledger.Position(new PositionEvent(e.LastFillTs ?? _now, t.PositionId, "open", t.IsLong ? "long" : "short", e.FilledQty,
            e.FilledQty * e.AvgPx, e.AvgPx, e.FirstFillTs ?? _now, null, null, null, e.Fees, null, null)
        {
            NotionalCcy = _contract.NotionalCcy, PnlCcy = _contract.PnlCcy,
        });
    }

    private void WriteClose(VenueTrade t)
    {
        if (Ledger.Closed.Contains(t.PositionId))
        {
            return;
        }

        var e = t.Entry;
        var exits = t.Exits.Where(o => o.FilledQty > 0).ToList();
        var exitQty = exits.Sum(o => o.FilledQty);
        var exitPx = exitQty == 0 ? e.AvgPx : exits.Sum(o => o.FilledValue) / exitQty;
        var last = exits.OrderBy(o => o.LastFillTs).LastOrDefault();
        var notional = e.FilledQty * e.AvgPx;
        var gross = ContractPnl.Gross(false, t.IsLong, notional, e.AvgPx, exitPx);
        var fees = e.Fees + exits.Sum(o => o.Fees);
        var net = gross - fees;
        Ledger.Position(new PositionEvent(last?.LastFillTs ?? _now, t.PositionId, "close", t.IsLong ? "long" : "short", e.FilledQty, notional,
            e.AvgPx, e.FirstFillTs ?? _now, exitPx, last?.Kind ?? "unknown", gross, fees, net, notional == 0 ? 0 : net / notional * 100m)
        {
            NotionalCcy = _contract.NotionalCcy, PnlCcy = _contract.PnlCcy,
        });
    }

    // ---- trades and minutes -------------------------------------------------------------------------------------

    private async Task OnTradeAsync(TradeTick trade, CancellationToken ct)
    {
        if (trade.Ts < _now)
        {
            _lateTrades++;
            return;
        }

        _now = trade.Ts;
        _lastPx = trade.Px;
        await ExpireEntryAsync(ct).ConfigureAwait(false); // as paper: an entry expires before a trade at its expiry could fill it
        _risk!.OnPrice(trade.Ts, trade.Px);
        if (_risk.FlattenDue(trade.Ts) is { } why)
        {
            await FlattenAsync(why, ct).ConfigureAwait(false);
        }

        _tape?.OnTrade(trade); // the paper venue fills from the tape
        await DrainAsync(ct).ConfigureAwait(false); // fills so far (a take-profit) before the stop is checked

        if (_trade is { OpenQty: > 0, ExitWanted: null } t &&
            (t.IsLong ? trade.Px <= t.StopLossPx : trade.Px >= t.StopLossPx))
        {
            await ExitAsync(t, "stop_loss", $"stop {Text(t.StopLossPx)} reached by trade {trade.TradeId} at {Text(trade.Px)}", ct).ConfigureAwait(false);
        }
    }

    private async Task DecideAsync(MinuteInputs minute, CancellationToken ct)
    {
        if (_lastMinuteMs is { } last && minute.MinuteMs <= last)
        {
            return;
        }

        _now = Math.Max(_now, minute.CloseTs);
        await DrainAsync(ct).ConfigureAwait(false); // the decision sees every fill received so far (a stop's exit, a take-profit)
        await ExpireEntryAsync(ct).ConfigureAwait(false);
        var signal = _strategy!.Evaluate(minute);
        var action = SignalAction.None;
        string reason;
        if (_trade is { OpenQty: > 0, ExitWanted: null } t && _x.ExitAtVwap && minute.Vwap is { } vwap &&
            (t.IsLong ? minute.Close >= vwap : minute.Close <= vwap))
        {
            action = SignalAction.ExitVwap;
            reason = $"close {Text(minute.Close)} {(t.IsLong ? "≥" : "≤")} vwap {Text(Math.Round(vwap, 8))}: exit {(t.IsLong ? "long" : "short")} {t.PositionId}";
            await ExitAsync(t, "exit_vwap", "close crossed vwap", ct).ConfigureAwait(false);
        }
        else if (_trade is { OpenQty: > 0, ExitWanted: null } held && _x.ExitAfterMs is { } hold && held.Entry.FirstFillTs is { } entryTs &&
                 minute.CloseTs >= entryTs + hold)
        {
            action = SignalAction.ExitTime;
            reason = $"horizon: exit {(held.IsLong ? "long" : "short")} {held.PositionId} at close {Text(minute.Close)}, held {Seconds(minute.CloseTs - entryTs)} since the fill";
            await ExitAsync(held, "exit_time", $"held {Seconds(minute.CloseTs - entryTs)} ≥ exitAfter {Seconds(hold)}", ct).ConfigureAwait(false);
        }
        else if (signal.Action is SignalAction.EnterLong or SignalAction.EnterShort)
        {
            var isLong = signal.Action == SignalAction.EnterLong;
            var entryId = ClientOrderIds.For(_config.Id, minute.MinuteMs, ClientOrderIds.Entry);
            if (Ledger.Orders.ContainsKey(entryId))
            {
                action = signal.Action; // decided and sent before a restart: never sent twice
                reason = signal.Reason;
            }
            else if (Stale(minute) is { } stale)
            {
                reason = $"{(isLong ? "long" : "short")} signal skipped: {stale}";
            }
            else if ((Gate(TradeTime.Day(minute.MinuteMs)) ?? RiskBlock(entryId, isLong, minute)) is { } blocked)
            {
                reason = $"{(isLong ? "long" : "short")} signal skipped: {blocked}";
            }
            else
            {
                action = signal.Action;
                reason = signal.Reason;
                var entry = await PlaceEntryAsync(entryId, isLong, minute, ct).ConfigureAwait(false);
                if (entry.LastEvent == "rejected")
                {
                    reason += "; the venue rejected the entry";
                }
            }
        }
        else
        {
            reason = signal.Reason;
        }

        _lastMinuteMs = minute.MinuteMs;
        Ledger.Signal(new SignalRecord(minute.MinuteMs, _config.Id, _config.Exchange, _config.InstId, action, reason,
            minute.Close, minute.Vwap, minute.Sigma, signal.Upper, signal.Lower, minute.Adx, minute.MaxMove5sBps));
    }

    /// <summary>
    /// Why an entry decided now would come too late, or null: the tape already runs past the entry's time-to-live from the
    /// minute's end (catching up after a restart or a backlog), so paper would have filled or expired it by now and a post-only
    /// at that old close is no longer the strategy's decision. The minute is still decided (strategy memory, signal log).
    /// </summary>
    private string? Stale(MinuteInputs minute)
    {
        var expiry = minute.CloseTs + _x.EntryTtlMs;
        if (_options.SkipStaleEntries && (_tapeEnd >= expiry || _tapeBehind))
        {
            return $"stale: the tape already runs to {PaperTradingEngine.Iso(_tapeEnd)}{(_tapeBehind ? " and more is waiting" : "")}, past the entry's time-to-live " +
                $"{Seconds(_x.EntryTtlMs)} from {PaperTradingEngine.Iso(minute.CloseTs)} (catching up after a restart or a backlog)";
        }

        return null;
    }

    /// <summary>The paper engine's gates, in its order, plus the position-mismatch halt.</summary>
    private string? Gate(DateOnly day)
    {
        if (_trade is { } t)
        {
            return t.Entry.IsFinal || t.EntryFilled > 0 ? $"position {t.PositionId} open" : $"entry order {t.Entry.OrderId} pending";
        }

        if (_mismatch is { } mismatch)
        {
            return "position mismatch: " + mismatch;
        }

        var stats = Ledger.Days.GetValueOrDefault(day);
        return PaperTradingEngine.DailyGate(_x, _contract, stats.Entries, stats.Net, stats.NetPct);
    }

    private string? RiskBlock(string entryId, bool isLong, MinuteInputs minute)
    {
        var decision = _risk!.Check(new OrderIntent(entryId, _config.InstId, isLong, ContractPnl.Quantity(_x.Notional, minute.Close)),
            _lastPx ?? minute.Close, _now);
        return decision.Allowed ? null : $"risk {decision.Limit}: {decision.Reason}";
    }

    // ---- orders -------------------------------------------------------------------------------------------------

    private async Task<LedgerOrderState> PlaceEntryAsync(string entryId, bool isLong, MinuteInputs minute, CancellationToken ct)
    {
        var qty = ContractPnl.Quantity(_x.Notional, minute.Close);
        var positionId = string.Concat("p", entryId.AsSpan(8, 10)); // the signal minute, yyMMddHHmm: one position per minute at most
        var state = await SendAsync(entryId, "entry", VenueOrderType.PostOnly, isLong, qty, minute.Close, positionId, _now + _x.EntryTtlMs,
            $"{(isLong ? "long" : "short")} signal of {PaperTradingEngine.Iso(minute.MinuteMs)}", ct).ConfigureAwait(false);
        if (!state.FailedEmpty)
        {
            _trade = new VenueTrade(positionId, minute.MinuteMs, state, _x.TakeProfitRate, _x.StopLossRate);
        }

        return state;
    }

    private async Task PlaceTakeProfitAsync(VenueTrade t, CancellationToken ct)
    {
        if (NextId(t, "take_profit") is not { } id)
        {
            return;
        }

        var order = await SendAsync(id, "take_profit", VenueOrderType.PostOnly, !t.IsLong, t.OpenQty, t.TakeProfitPx, t.PositionId, null,
            $"take profit {Text(_x.TakeProfitPct)} %", ct).ConfigureAwait(false);
        Track(t, order);
    }

    /// <summary>A market reduce-only exit of what is held (leg s, v, h or k); the entry and the take-profit are cancelled.</summary>
    private async Task ExitAsync(VenueTrade t, string kind, string why, CancellationToken ct)
    {
        t.ExitWanted ??= kind;
        t.ExitReason ??= why;
        if (!t.Entry.IsFinal)
        {
            await CancelAsync(t.Entry, "exit " + kind, ct).ConfigureAwait(false); // nothing more may fill while exiting
        }

        if (t.PendingExit is not null || t.OpenQty <= 0 || NextId(t, t.ExitWanted) is not { } id)
        {
            return;
        }

        var order = await SendAsync(id, t.ExitWanted, VenueOrderType.Market, !t.IsLong, t.OpenQty, _lastPx ?? t.Entry.Px, t.PositionId, null,
            t.ExitReason, ct).ConfigureAwait(false);
        Track(t, order);
        if (t.TakeProfit is { } tp)
        {
            await CancelAsync(tp, "replaced by " + t.ExitWanted, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The id of the next order of a leg: attempt 0, or the next one after a definite refusal. Null when an order of the
    /// leg is still live or filled with its fills not yet recorded, when the last refusal was in this step (a retry waits for the next step), or after attempt 9.
    /// </summary>
    private string? NextId(VenueTrade t, string kind)
    {
        var leg = VenueTrade.Leg(kind);
        for (var attempt = 0; attempt <= 9; attempt++)
        {
            var id = ClientOrderIds.For(_config.Id, t.SignalMinuteMs, leg, attempt);
            if (!Ledger.Orders.TryGetValue(id, out var order))
            {
                return id;
            }

            Track(t, order);
            var fillsPending = order.LastEvent == "filled" && (order.FilledQty == 0 || _fillsReported.ContainsKey(id));
            if (!order.IsFinal || fillsPending || _failedThisStep.Contains(id))
            {
                return null;
            }
        }

        if (_failedThisStep.Add(t.PositionId + kind))
        {
            Log.Error("{Strategy}: ten {Kind} orders of position {Position} were refused; giving up on that leg", _config.Id, kind, t.PositionId);
            _lastError = $"ten {kind} orders of position {t.PositionId} refused";
        }

        return null;
    }

    private static void Track(VenueTrade t, LedgerOrderState order)
    {
        if (!order.IsEntry && order.PositionId == t.PositionId && !t.Exits.Contains(order))
        {
            t.Exits.Add(order);
        }
    }

    /// <summary>Writes "sending" (fsynced), then sends; an id already in the ledger is never sent again.</summary>
    private async Task<LedgerOrderState> SendAsync(string id, string kind, VenueOrderType type, bool buy, decimal qty, decimal px,
        string positionId, long? expiresTs, string reason, CancellationToken ct)
    {
        if (Ledger.Orders.TryGetValue(id, out var known))
        {
            return known;
        }

        var typeText = type switch { VenueOrderType.Market => "market", VenueOrderType.Ioc => "ioc_limit", _ => kind == "entry" ? "post_only_limit" : "limit" };
        var state = Ledger.Order(new OrderEvent(_now, id, positionId, "sending", kind, buy ? "buy" : "sell", typeText, px, qty, expiresTs, reason));
        await PlaceAsync(state, ct).ConfigureAwait(false);
        return state;
    }

    private VenueOrderRequest Request(LedgerOrderState s) =>
        new(_config.InstId, s.OrderId, s.IsBuy ? VenueSide.Buy : VenueSide.Sell,
            s.Type == "market" ? VenueOrderType.Market : s.Type == "ioc_limit" ? VenueOrderType.Ioc : VenueOrderType.PostOnly,
            s.Qty, s.Px, ReduceOnly: !s.IsEntry);

    private async Task PlaceAsync(LedgerOrderState state, CancellationToken ct)
    {
        try
        {
            var ack = await _venue.PlaceAsync(Request(state), ct).ConfigureAwait(false);
            _ordersSent++;
            _stepSent++;
            ApplyOrder(ack, null);
        }
        catch (VenueException ex) when (ex.Kind == VenueErrorKind.Rejected)
        {
            _ordersSent++;
            _ordersRejected++;
            _failedThisStep.Add(state.OrderId);
            var why = ex.Code is null ? ex.Message : $"{ex.Message} (code {ex.Code})";
            Log.Warning("{Strategy}: {Venue} rejected {Kind} order {ClientOrderId}: {Reason}", _config.Id, _venue.Venue, state.Kind, state.OrderId, why);
            Write(state, "rejected", state.Px, state.Qty, why);
        }
        catch (VenueException ex) when (ex.Kind == VenueErrorKind.Unknown)
        {
            _ordersSent++;
            _unknown.Add(state.OrderId); // settled by a query with the same id next step, never by sending again
            Note(ex, "place " + state.OrderId);
        }
        catch (VenueException ex) when (ex.Kind is VenueErrorKind.RateLimited or VenueErrorKind.Unavailable)
        {
            _resend.Add(state.OrderId); // nothing was sent: next step queries the id, then sends it if the venue has none
            Note(ex, "place " + state.OrderId);
        }
    }

    private async Task CancelAsync(LedgerOrderState order, string why, CancellationToken ct)
    {
        try
        {
            var canceled = await _venue.CancelAsync(_config.InstId, order.OrderId, ct).ConfigureAwait(false)
                ?? await _venue.QueryAsync(_config.InstId, order.OrderId, ct).ConfigureAwait(false);
            if (canceled is null)
            {
                if (!order.IsFinal)
                {
                    Write(order, "cancelled", order.Px, order.Qty, "never reached the venue");
                }

                return;
            }

            ApplyOrder(canceled, canceled.Status is VenueOrderStatus.Canceled or VenueOrderStatus.Expired ? why : null);
        }
        catch (VenueException ex) when (ex.Kind != VenueErrorKind.Auth)
        {
            Note(ex, "cancel " + order.OrderId); // tried again by the next trade or step
        }
    }

    private async Task ExpireEntryAsync(CancellationToken ct)
    {
        if (_trade is { } t && !t.Entry.IsFinal && t.Entry.ExpiresTs is { } expires && _now >= expires &&
            _failedThisStep.Add("ttl:" + t.Entry.OrderId))
        {
            await CancelAsync(t.Entry, $"time-to-live {Seconds(_x.EntryTtlMs)} elapsed with no trade through {Text(t.Entry.Px)}", ct)
                .ConfigureAwait(false);
            await AdvanceTradeAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The gate asked to cancel and flatten (kill switch, daily loss with flatten, auto-flatten time).</summary>
    private async Task FlattenAsync(string why, CancellationToken ct)
    {
        Log.Warning("{Strategy}: risk flatten: {Reason}", _config.Id, why);
        if (_trade is { OpenQty: > 0 } held)
        {
            // Wanted before anything is cancelled, so no take-profit is placed again in between; the exit cancels the
            // entry first and the take-profit after the market order.
            held.ExitWanted = "risk_flatten";
            held.ExitReason = "risk: " + why;
            await ExitAsync(held, "risk_flatten", "risk: " + why, ct).ConfigureAwait(false);
        }
        else if (_trade is { } pending)
        {
            foreach (var order in pending.OpenOrders.ToList())
            {
                await CancelAsync(order, "risk: " + why, ct).ConfigureAwait(false);
            }

            await AdvanceTradeAsync(ct).ConfigureAwait(false);
        }

        if (_trade is null && _venuePosition is { Quantity: not 0 } adopted)
        {
            Log.Error("{Strategy}: the venue holds {Qty} {InstId} that the ledger does not know; close it on the venue by hand",
                _config.Id, adopted.Quantity, _config.InstId);
        }

        _risk!.OnFlattened(_now);
        _riskChanges++;
    }

    // ---- settling and reconciliation ----------------------------------------------------------------------------

    /// <summary>Orders of unknown outcome are queried (never re-sent blindly); orders refused for a rate limit are sent again.</summary>
    private async Task SettleAsync(CancellationToken ct)
    {
        foreach (var id in _unknown.Concat(_resend).Distinct(StringComparer.Ordinal).ToList())
        {
            var state = Ledger.Orders[id];
            VenueOrder? order;
            try
            {
                order = await _venue.QueryAsync(_config.InstId, id, ct).ConfigureAwait(false);
            }
            catch (VenueException ex) when (ex.Kind != VenueErrorKind.Auth)
            {
                Note(ex, "query " + id);
                return;
            }

            if (order is not null)
            {
                ApplyOrder(order, null);
            }
            else if (_resend.Remove(id) && !state.IsFinal && (!state.IsEntry || state.ExpiresTs > _now))
            {
                await PlaceAsync(state, ct).ConfigureAwait(false);
            }
            else
            {
                _unknown.Remove(id);
                _resend.Remove(id);
                if (!state.IsFinal)
                {
                    Write(state, "cancelled", state.Px, state.Qty, "never reached the venue");
                }
            }
        }

        foreach (var (id, qty) in _fillsReported.ToList())
        {
            if (Ledger.Orders[id].FilledQty >= qty)
            {
                _fillsReported.Remove(id); // the stream delivered them
            }
            else
            {
                NeedFills(Ledger.Orders[id].FirstTs);
            }
        }

        if (_fillsSince is { } since)
        {
            await FetchFillsAsync(since, ct).ConfigureAwait(false);
        }

        await AdvanceTradeAsync(ct).ConfigureAwait(false);
    }

    private void NeedFills(long sinceTs) => _fillsSince = Math.Min(_fillsSince ?? long.MaxValue, sinceTs);

    private async Task FetchFillsAsync(long since, CancellationToken ct)
    {
        try
        {
            foreach (var fill in await _venue.FillsAsync(_config.InstId, since - FillLookbackMs, ct).ConfigureAwait(false))
            {
                ApplyFill(fill);
            }

            _fillsSince = null;
            _fillsReported.Clear();
        }
        catch (VenueException ex) when (ex.Kind != VenueErrorKind.Auth)
        {
            Note(ex, "fills");
        }
    }

    /// <summary>
    /// Start, stream gap, periodic: every unsettled ledger order is queried and its true state recorded ("sending" the
    /// venue never got = cancelled, not re-sent); open orders of this strategy unknown to the ledger are cancelled; fills
    /// since the oldest unsettled order (or the last recorded fill) are recorded once; the venue's position must equal
    /// the ledger's, else an error and a halt of new entries until the venue is flat.
    /// </summary>
    /// <param name="full">At start and after a gap, fills since the last recorded one too (a fill line a crash lost); the
    /// periodic pass only looks at orders that can still fill.</param>
    private async Task ReconcileAsync(bool full, CancellationToken ct)
    {
        try
        {
            var unsettled = Ledger.OrderSequence.Where(o => !o.IsFinal).ToList();
            long? since = unsettled.Count > 0 ? unsettled.Min(o => o.FirstTs) : null;
            if (full && Ledger.LastFillTs is { } lastFill)
            {
                since = Math.Min(since ?? long.MaxValue, lastFill);
            }

            if (_trade is { } current)
            {
                since = Math.Min(since ?? long.MaxValue, current.Entry.FirstTs);
            }

            foreach (var order in unsettled)
            {
                var q = await _venue.QueryAsync(_config.InstId, order.OrderId, ct).ConfigureAwait(false);
                if (q is null)
                {
                    Write(order, "cancelled", order.Px, order.Qty, order.LastEvent == "sending" ? "never reached the venue" : "unknown to the venue");
                    _unknown.Remove(order.OrderId);
                    _resend.Remove(order.OrderId);
                }
                else
                {
                    ApplyOrder(q, null);
                }
            }

            var prefix = ClientOrderIds.Prefix + ClientOrderIds.StrategyPart(_config.Id);
            foreach (var open in await _venue.OpenOrdersAsync(_config.InstId, ct).ConfigureAwait(false))
            {
                if (open.ClientOrderId.StartsWith(prefix, StringComparison.Ordinal) && !Ledger.Orders.ContainsKey(open.ClientOrderId))
                {
                    Log.Error("{Strategy}: open order {ClientOrderId} on {Venue} carries this strategy's ids but is not in the ledger; cancelling it",
                        _config.Id, open.ClientOrderId, _venue.Venue);
                    await _venue.CancelAsync(_config.InstId, open.ClientOrderId, ct).ConfigureAwait(false);
                }
            }

            if (since is { } s)
            {
                NeedFills(s);
            }

            if (_fillsSince is { } from)
            {
                await FetchFillsAsync(from, ct).ConfigureAwait(false);
            }

            await AdvanceTradeAsync(ct).ConfigureAwait(false);
            var position = await _venue.PositionAsync(_config.InstId, ct).ConfigureAwait(false);
            if (position.Quantity != LedgerQty() && _trade is { } racing)
            {
                // A fill may have landed between the fill history and the position: take the stream's news and the
                // history once more before calling it a mismatch.
                await DrainAsync(ct).ConfigureAwait(false);
                await FetchFillsAsync(racing.Entry.FirstTs, ct).ConfigureAwait(false);
                await AdvanceTradeAsync(ct).ConfigureAwait(false);
                position = await _venue.PositionAsync(_config.InstId, ct).ConfigureAwait(false);
            }

            ComparePosition(position);
            _reconciled = true;
            _reconcileDue = false;
            _nextReconcileAt = _time.GetUtcNow() + _options.ReconcileEvery;
        }
        catch (VenueException ex) when (ex.Kind != VenueErrorKind.Auth)
        {
            _reconcileDue = true;
            Note(ex, "reconcile");
        }
    }

    private void ComparePosition(VenuePosition position)
    {
        _venuePosition = position;
        var ledgerQty = LedgerQty();
        if (position.Quantity == ledgerQty)
        {
            if (_mismatch is not null)
            {
                Log.Information("{Strategy}: the venue's position matches the ledger again ({Qty}); the mismatch halt ends", _config.Id, ledgerQty);
            }

            _mismatch = null;
            return;
        }

        var text = $"{_venue.Venue} holds {Text(position.Quantity)} {_config.InstId}, the ledger {Text(ledgerQty)}";
        Log.Error("{Strategy}: position mismatch: {Venue} holds {VenueQty} {InstId}, the ledger {LedgerQty}; adopting the venue's, no new entries until it is flat",
            _config.Id, _venue.Venue, position.Quantity, _config.InstId, ledgerQty);
        _lastError = "position mismatch: " + text;
        if (position.Quantity == 0)
        {
            _trade = null; // the venue is flat: the ledger's position is gone (closed outside this executor)
            _mismatch = null;
        }
        else
        {
            _mismatch = text;
        }
    }

    /// <summary>The ledger's signed position.</summary>
    private decimal LedgerQty() => _trade is { } t ? (t.IsLong ? t.OpenQty : -t.OpenQty) : 0m;

    /// <summary>The current position from the ledger: the last entry not closed and not ended unfilled, with its exits.</summary>
    private VenueTrade? RebuildTrade()
    {
        var entry = Ledger.OrderSequence.LastOrDefault(o => o.IsEntry);
        if (entry?.PositionId is not { } positionId || Ledger.Closed.Contains(positionId) || entry.FailedEmpty ||
            !ClientOrderIds.TryParse(entry.OrderId, out _, out var minute, out _, out _))
        {
            return null;
        }

        var t = new VenueTrade(positionId, minute, entry, _x.TakeProfitRate, _x.StopLossRate) { Opened = Ledger.Opened.Contains(positionId) };
        foreach (var order in Ledger.OrderSequence.Where(o => !o.IsEntry && o.PositionId == positionId))
        {
            t.Exits.Add(order);
            if (order.Kind != "take_profit")
            {
                t.ExitWanted = order.Kind;
                t.ExitReason = order.Kind;
            }
        }

        return t;
    }

    /// <summary>Every order in the ledger must carry this strategy's ids: a paper ledger (o1, o2…) or another strategy's is refused.</summary>
    private void CheckLedgerIds()
    {
        var part = ClientOrderIds.StrategyPart(_config.Id);
        if (Ledger.OrderSequence.FirstOrDefault(o => !ClientOrderIds.TryParse(o.OrderId, out var p, out _, out _, out _) || p != part) is { } foreign)
        {
            throw new InvalidOperationException(
                $"{_vault.LedgerOrders(_config.Id)} holds order {foreign.OrderId}, not an id of strategy {_config.Id} through a venue; move ledger/{_config.Id} away or use another id");
        }
    }

    private bool IsOurs(string clientOrderId) =>
        clientOrderId.StartsWith(ClientOrderIds.Prefix + ClientOrderIds.StrategyPart(_config.Id), StringComparison.Ordinal);

    private void Note(VenueException ex, string what)
    {
        _lastError = $"{what}: {ex.Kind}: {ex.Message}";
        if (_loggedKinds.Add(ex.Kind))
        {
            Log.Warning("{Strategy}: {Venue} {What} failed ({Kind}): {Message}; retrying next step", _config.Id, _venue.Venue, what, ex.Kind, ex.Message);
        }
    }

    // ---- persistence and status ---------------------------------------------------------------------------------

    private void Save()
    {
        if (_ledger is null || _risk is null)
        {
            return;
        }

        // A quiet step (no trade, minute, event or order) changes nothing on disk: no fsyncs for it.
        var key = (_cursor, _lastMinuteMs, _now, _ledger.Writes, _mismatch, _lateTrades, _riskChanges);
        if (key == _saved)
        {
            return;
        }

        _ledger.Sync();
        RiskStore.Save(_vault, _risk); // after the ledger: a repeated fill is recognised by its id
        _saved = key;
        new StateFile<VenueState>(_vault.VenueState(_config.Id)).Write(new VenueState
        {
            Strategy = _config.Strategy, Exchange = _config.Exchange, InstId = _config.InstId, Venue = _venue.Venue,
            LastMinuteMs = _lastMinuteMs, Now = _now, Trades = _cursor, StrategyState = _strategy?.SaveState(),
            LateTrades = _lateTrades, PositionMismatch = _mismatch, UpdatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }

    private void Publish()
    {
        var t = _trade;
        var qty = t is null ? 0m : t.IsLong ? t.OpenQty : -t.OpenQty;
        if (_mismatch is not null && _venuePosition is { } venue)
        {
            qty = venue.Quantity;
        }

        var unrealized = t is { OpenQty: > 0 } && _lastPx is { } px ? (t.IsLong ? 1 : -1) * t.OpenQty * (px - t.Entry.AvgPx) : 0m;
        var halts = _risk is null ? new List<string>() : _risk.ActiveHalts(_now).Select(h => $"{h.Kind}: {h.Reason}").ToList();
        if (_mismatch is { } m)
        {
            halts.Add("position mismatch: " + m);
        }

        _status = new VenueExecutorStatus(_config.Id, _venue.Venue, _ordersSent, _ordersRejected, _fills, qty, _ledger?.RealizedNet ?? 0m,
            unrealized, _ledger?.FeesPaid ?? 0m, _lastMinuteMs, _time.GetUtcNow(), _lastError, halts);
    }

    private static string Text(decimal value) => ExactDecimal.Format(value);

    private static string Seconds(long ms) => (ms / 1000).ToString(CultureInfo.InvariantCulture) + " s";
}
