using System.Globalization;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// The pure paper-trading engine: no I/O, no clock. Drive it with one ordered stream of events in
/// event time — <see cref="OnTrade"/> for raw trades and <see cref="OnMinute"/> for a closed
/// minute's indicators, which exist at the minute's end (minute M at M+1m), so every trade with
/// ts &lt; M+1m goes before OnMinute(M) and trades with ts ≥ M+1m after it. Output goes to the sink.
/// <para>Execution rules (paper, conservative):</para>
/// <list type="bullet">
/// <item>Entry: post-only limit at the signal minute's close, placed at the minute's end (M+1m).
/// Filled at the limit price, maker fee, only by a trade with ts in [placed, placed+ttl) whose price
/// is strictly through the limit (buy: px &lt; limit, sell: px &gt; limit); a trade at exactly the limit
/// does not fill (queue position unknown). Otherwise it expires at placed+ttl.</item>
/// <item>Take-profit: resting maker limit at entry×(1±tp), filled at its price, maker fee, by a trade
/// strictly through it (same rule as the entry).</item>
/// <item>Stop-loss: taker stop at entry×(1∓sl), triggered by the first trade at or through it
/// (long: px ≤ stop), filled at the stop price (no slippage, so a loss is always −sl − fees).</item>
/// <item>Exit levels are collected per minute bucket and resolved when the minute ends: if one
/// minute reached both take-profit and stop, the stop wins, whatever the order within the minute.
/// The trade that fills the entry is also checked against the stop.</item>
/// <item>Exit at VWAP (optional): at a minute close that is at or beyond VWAP (long: close ≥ vwap),
/// taker at the close. That minute opens nothing new.</item>
/// <item>Exit after a horizon (optional, <see cref="ExecutionSettings.ExitAfter"/>): at the first minute close at least
/// exitAfter after the entry fill, taker at the close (the exit levels of earlier minutes are resolved first). That
/// minute opens nothing new either.</item>
/// <item>PnL, fees and the daily loss are valued by <see cref="ContractPnl"/> for the instrument's
/// <see cref="ContractTerms"/>: linear in the quote currency, fees on the position's notional for both legs,
/// so a take-profit nets exactly tp − 2·maker (0.6 − 0.04 = +0.56 %) and a stop −sl − maker − taker
/// (−0.37 %); inverse in the settlement coin, each fee on its leg's coin notional.</item>
/// <item>One position or pending entry at a time; per UTC day at most maxTradesPerDay entries filled
/// and no entries once the realised net loss of the day reaches maxDailyLossPct of notional.</item>
/// <item>Risk (optional <see cref="RiskGate"/>): every trade is a live price for the gate (volatility halt, daily loss);
/// an entry the gate blocks is skipped with the gate's reason in the signal log; when the gate says flatten (kill
/// switch, daily loss with flattenOnDailyLoss, an auto-flatten time) the next trade cancels the pending entry and
/// closes the position at that trade's price (taker, exit reason risk_flatten, the order's reason says why).</item>
/// </list>
/// </summary>
public sealed class PaperTradingEngine
{
    private readonly StrategyConfig _config;
    private readonly ExecutionSettings _x;
    private readonly IStrategy _strategy;
    private readonly IExecutionSink _sink;
    private readonly ContractTerms _contract;
    private readonly RiskGate? _risk;

    private long? _lastMinuteMs;
    private long _now;
    private long _orderSeq;
    private long _fillSeq;
    private long _positionSeq;
    private PendingEntry? _entry;
    private OpenPosition? _position;
    private ExitHits? _hits;
    private DayStats? _day;
    private long _lateTrades;

    public PaperTradingEngine(StrategyConfig config, IStrategy strategy, IExecutionSink sink, EngineState? state = null, RiskGate? risk = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(sink);
        _config = config;
        _x = config.Execution;
        _strategy = strategy;
        _sink = sink;
        _contract = config.Contract ?? ContractTerms.Linear(config.InstId);
        _risk = risk;
        if (state is not null)
        {
            _lastMinuteMs = state.LastMinuteMs;
            _now = state.Now;
            _orderSeq = state.OrderSeq;
            _fillSeq = state.FillSeq;
            _positionSeq = state.PositionSeq;
            _entry = state.Entry;
            _position = state.Position;
            _hits = state.Hits;
            _day = state.Day;
            _lateTrades = state.LateTrades;
            strategy.RestoreState(state.Strategy);
        }
    }

    public StrategyConfig Config => _config;

    /// <summary>How positions are valued (PnL currency, linear or inverse).</summary>
    public ContractTerms Contract => _contract;

    public long? LastMinuteMs => _lastMinuteMs;

    /// <summary>Event time of the latest event processed (Unix ms).</summary>
    public long Now => _now;

    public PendingEntry? PendingEntry => _entry;

    public OpenPosition? Position => _position;

    public long LateTrades => _lateTrades;

    /// <summary>The risk gate the engine consults, if any.</summary>
    public RiskGate? Risk => _risk;

    /// <summary>The state to persist; a new engine built from it continues exactly.</summary>
    public EngineState Snapshot() => new()
    {
        LastMinuteMs = _lastMinuteMs,
        Now = _now,
        OrderSeq = _orderSeq,
        FillSeq = _fillSeq,
        PositionSeq = _positionSeq,
        Entry = _entry,
        Position = _position,
        Hits = _hits,
        Day = _day,
        Strategy = _strategy.SaveState(),
        LateTrades = _lateTrades,
    };

    /// <summary>
    /// One raw trade. A trade older than the latest event processed is counted in
    /// <see cref="LateTrades"/> and ignored (the past cannot be re-decided).
    /// </summary>
    public void OnTrade(in TradeTick trade)
    {
        if (trade.Ts < _now)
        {
            _lateTrades++;
            return;
        }

        AdvanceTo(trade.Ts);
        if (_risk is not null)
        {
            _risk.OnPrice(trade.Ts, trade.Px);
            if (_risk.FlattenDue(trade.Ts) is { } why)
            {
                Flatten(trade, why);
            }
        }

        if (_entry is { } entry && (entry.IsLong ? trade.Px < entry.LimitPx : trade.Px > entry.LimitPx))
        {
            FillEntry(entry, trade);
        }

        if (_position is { } position)
        {
            RecordExitHits(position, trade);
        }
    }

    /// <summary>
    /// A closed minute's indicators, at event time MinuteMs+1m: resolves the minute's exits and an
    /// expired entry, asks the strategy, applies the gates, places an entry or exits at VWAP, and
    /// writes the decision. A minute at or before the last decided one is ignored (replays are
    /// idempotent); a minute whose end lies before an event already processed is a wiring error.
    /// </summary>
    public void OnMinute(MinuteInputs minute)
    {
        ArgumentNullException.ThrowIfNull(minute);
        if (_lastMinuteMs is { } last && minute.MinuteMs <= last)
        {
            return;
        }

        if (minute.CloseTs < _now)
        {
            throw new InvalidOperationException(
                $"minute {Iso(minute.MinuteMs)} arrived after an event at {Iso(_now)}: feed trades with ts < minute+1m before the minute, the rest after");
        }

        AdvanceTo(minute.CloseTs);
        var signal = _strategy.Evaluate(minute);
        var action = SignalAction.None;
        string reason;
        if (_position is { } position && _x.ExitAtVwap && minute.Vwap is { } vwap &&
            (position.IsLong ? minute.Close >= vwap : minute.Close <= vwap))
        {
            ExitAtVwap(position, minute);
            action = SignalAction.ExitVwap;
            reason = $"close {Text(minute.Close)} {(position.IsLong ? "≥" : "≤")} vwap {Text(Math.Round(vwap, 8))}: exit {(position.IsLong ? "long" : "short")} {position.PositionId}";
        }
        else if (_position is { } held && _x.ExitAfterMs is { } hold && minute.CloseTs >= held.EntryTs + hold)
        {
            ExitAtClose(held, minute, "exit_time", $"held {Seconds(minute.CloseTs - held.EntryTs)} ≥ exitAfter {Seconds(hold)}");
            action = SignalAction.ExitTime;
            reason = $"horizon: exit {(held.IsLong ? "long" : "short")} {held.PositionId} at close {Text(minute.Close)}, held {Seconds(minute.CloseTs - held.EntryTs)} since the fill";
        }
        else if (signal.Action is SignalAction.EnterLong or SignalAction.EnterShort)
        {
            var side = signal.Action == SignalAction.EnterLong ? "long" : "short";
            var blocked = Gate(TradeTime.Day(minute.MinuteMs)) ?? RiskBlock(signal.Action == SignalAction.EnterLong, minute);
            if (blocked is null)
            {
                PlaceEntry(signal.Action == SignalAction.EnterLong, minute);
                action = signal.Action;
                reason = signal.Reason;
            }
            else
            {
                reason = $"{side} signal skipped: {blocked}";
            }
        }
        else
        {
            reason = signal.Reason;
        }

        _lastMinuteMs = minute.MinuteMs;
        _sink.OnSignal(new SignalRecord(minute.MinuteMs, _config.Id, _config.Exchange, _config.InstId, action, reason,
            minute.Close, minute.Vwap, minute.Sigma, signal.Upper, signal.Lower, minute.Adx, minute.MaxMove5sBps));
    }

    /// <summary>
    /// Lets event time pass with no trade (end of a replay, or a quiet market): expires the entry
    /// and resolves a finished minute's exits. Never goes backwards.
    /// </summary>
    public void AdvanceTo(long ts)
    {
        if (ts < _now)
        {
            return;
        }

        if (_hits is { } hits && ts >= hits.MinuteMs + TradeTime.MsPerMinute)
        {
            ResolveExit(hits);
        }

        if (_entry is { } entry && ts >= entry.ExpiresTs)
        {
            _entry = null;
            _sink.OnOrder(new OrderEvent(entry.ExpiresTs, entry.OrderId, null, "cancelled", "entry", Side(entry.IsLong),
                "post_only_limit", entry.LimitPx, entry.Qty, entry.ExpiresTs,
                $"time-to-live {Seconds(_x.EntryTtlMs)} elapsed with no trade through {Text(entry.LimitPx)}"));
        }

        _now = ts;
    }

    private string? Gate(DateOnly day)
    {
        if (_position is { } position)
        {
            return $"position {position.PositionId} open";
        }

        if (_entry is { } entry)
        {
            return $"entry order {entry.OrderId} pending";
        }

        var stats = _day is { } d && d.Day == day ? d : new DayStats(day, 0, 0, 0);
        // A state written before the percentage was kept holds linear quote PnL only.
        return DailyGate(_x, _contract, stats.Entries, stats.RealizedNet, stats.RealizedNetPct ?? stats.RealizedNet / _x.Notional * 100m);
    }

    /// <summary>
    /// The daily gates (max entries, max realised loss), shared with the venue executor, or null. The loss is in % of
    /// notional, so one limit means the same for linear (quote) and inverse (coin) PnL.
    /// </summary>
    internal static string? DailyGate(ExecutionSettings x, ContractTerms contract, int entries, decimal realizedNet, decimal realizedNetPct)
    {
        if (entries >= x.MaxTradesPerDay)
        {
            return $"daily max trades {x.MaxTradesPerDay} reached";
        }

        var lossPct = -realizedNetPct;
        if (lossPct >= x.MaxDailyLossPct)
        {
            return $"daily loss {Text(Math.Round(-realizedNet, 10))} {contract.PnlCcy} = {Text(Math.Round(lossPct, 4))} % of notional ≥ {Text(x.MaxDailyLossPct)} %";
        }

        return null;
    }

    /// <summary>The gate's verdict on the entry about to be placed (its order id, at the minute close), or null.</summary>
    private string? RiskBlock(bool isLong, MinuteInputs minute)
    {
        if (_risk is null)
        {
            return null;
        }

        var orderId = "o" + (_orderSeq + 1).ToString(CultureInfo.InvariantCulture);
        var decision = _risk.Check(new OrderIntent(orderId, _config.InstId, isLong, ContractPnl.Quantity(_x.Notional, minute.Close)),
            minute.Close, minute.CloseTs);
        return decision.Allowed ? null : $"risk {decision.Limit}: {decision.Reason}";
    }

    /// <summary>The gate asked to cancel and flatten: the pending entry is cancelled, the position closed at this trade (taker).</summary>
    private void Flatten(in TradeTick trade, string why)
    {
        if (_hits is { } hits)
        {
            ResolveExit(hits); // an exit level reached earlier in this minute happened first
        }

        if (_entry is { } entry)
        {
            _entry = null;
            _sink.OnOrder(new OrderEvent(trade.Ts, entry.OrderId, null, "cancelled", "entry", Side(entry.IsLong), "post_only_limit",
                entry.LimitPx, entry.Qty, entry.ExpiresTs, "risk: " + why));
        }

        if (_position is { } position)
        {
            var orderId = NextOrderId();
            _sink.OnOrder(new OrderEvent(trade.Ts, orderId, position.PositionId, "placed", "risk_flatten", Side(!position.IsLong),
                "market", trade.Px, position.Qty, null, "risk: " + why));
            _sink.OnOrder(new OrderEvent(trade.Ts, position.StopLossOrderId, position.PositionId, "cancelled", "stop_loss",
                Side(!position.IsLong), "stop_market", position.StopLossPx, position.Qty, null, "replaced by the risk flatten"));
            ClosePosition(position, trade.Ts, "risk_flatten", orderId, "market", trade.Px, "taker", _x.TakerFeeRate, trade.TradeId,
                position.TakeProfitOrderId, "limit", position.TakeProfitPx, "take_profit", "risk: " + why);
        }

        _risk!.OnFlattened(trade.Ts);
    }

    private void PlaceEntry(bool isLong, MinuteInputs minute)
    {
        var price = minute.Close;
        var qty = ContractPnl.Quantity(_x.Notional, price);
        var entry = new PendingEntry(NextOrderId(), isLong, price, qty, minute.CloseTs, minute.CloseTs + _x.EntryTtlMs, minute.MinuteMs);
        _entry = entry;
        _sink.OnOrder(new OrderEvent(entry.PlacedTs, entry.OrderId, null, "placed", "entry", Side(isLong), "post_only_limit",
            price, qty, entry.ExpiresTs, $"{(isLong ? "long" : "short")} signal of {Iso(minute.MinuteMs)}"));
    }

    private void FillEntry(PendingEntry entry, in TradeTick trade)
    {
        _entry = null;
        var positionId = "p" + (++_positionSeq).ToString(CultureInfo.InvariantCulture);
        var fee = ContractPnl.Fee(_contract.Inverse, _x.Notional, entry.LimitPx, _x.MakerFeeRate);
        _sink.OnOrder(new OrderEvent(trade.Ts, entry.OrderId, positionId, "filled", "entry", Side(entry.IsLong), "post_only_limit",
            entry.LimitPx, entry.Qty, entry.ExpiresTs, $"trade {trade.TradeId} at {Text(trade.Px)} crossed the limit"));
        Fill(new FillEvent(trade.Ts, NextFillId(), entry.OrderId, positionId, "entry", Side(entry.IsLong), entry.LimitPx,
            entry.Qty, _x.Notional, "maker", _x.MakerFeeRate, fee, trade.TradeId) { Inverse = _contract.Inverse, NotionalCcy = _contract.NotionalCcy, FeeCcy = _contract.PnlCcy });

        var tp = entry.IsLong ? entry.LimitPx * (1 + _x.TakeProfitRate) : entry.LimitPx * (1 - _x.TakeProfitRate);
        var sl = entry.IsLong ? entry.LimitPx * (1 - _x.StopLossRate) : entry.LimitPx * (1 + _x.StopLossRate);
        var position = new OpenPosition(positionId, entry.IsLong, entry.Qty, entry.LimitPx, trade.Ts, fee,
            NextOrderId(), tp, NextOrderId(), sl);
        _position = position;
        _day = AddEntry(_day, TradeTime.Day(trade.Ts));
        _sink.OnPosition(new PositionEvent(trade.Ts, positionId, "open", Direction(entry.IsLong), entry.Qty, _x.Notional,
            entry.LimitPx, trade.Ts, null, null, null, fee, null, null) { Inverse = _contract.Inverse, NotionalCcy = _contract.NotionalCcy, PnlCcy = _contract.PnlCcy });
        var exitSide = Side(!entry.IsLong);
        _sink.OnOrder(new OrderEvent(trade.Ts, position.TakeProfitOrderId, positionId, "placed", "take_profit", exitSide, "limit",
            tp, entry.Qty, null, $"take profit {Text(_x.TakeProfitPct)} %"));
        _sink.OnOrder(new OrderEvent(trade.Ts, position.StopLossOrderId, positionId, "placed", "stop_loss", exitSide, "stop_market",
            sl, entry.Qty, null, $"stop loss {Text(_x.StopLossPct)} %"));
    }

    private void RecordExitHits(OpenPosition position, in TradeTick trade)
    {
        var tpHit = position.IsLong ? trade.Px > position.TakeProfitPx : trade.Px < position.TakeProfitPx;
        var slHit = position.IsLong ? trade.Px <= position.StopLossPx : trade.Px >= position.StopLossPx;
        if (!tpHit && !slHit)
        {
            return;
        }

        var hits = _hits ?? new ExitHits(TradeTime.MinuteFloor(trade.Ts), null, null, null, null);
        if (tpHit && hits.TakeProfitTs is null)
        {
            hits = hits with { TakeProfitTs = trade.Ts, TakeProfitTradeId = trade.TradeId };
        }

        if (slHit && hits.StopLossTs is null)
        {
            hits = hits with { StopLossTs = trade.Ts, StopLossTradeId = trade.TradeId };
        }

        _hits = hits;
    }

    private void ResolveExit(ExitHits hits)
    {
        _hits = null;
        if (_position is not { } position)
        {
            return;
        }

        if (hits.StopLossTs is { } slTs)
        {
            ClosePosition(position, slTs, "stop_loss", position.StopLossOrderId, "stop_market", position.StopLossPx, "taker",
                _x.TakerFeeRate, hits.StopLossTradeId, position.TakeProfitOrderId, "limit", position.TakeProfitPx, "take_profit",
                hits.TakeProfitTs is null ? "stop triggered" : "stop triggered; the same minute also reached the take-profit: the stop wins");
        }
        else if (hits.TakeProfitTs is { } tpTs)
        {
            ClosePosition(position, tpTs, "take_profit", position.TakeProfitOrderId, "limit", position.TakeProfitPx, "maker",
                _x.MakerFeeRate, hits.TakeProfitTradeId, position.StopLossOrderId, "stop_market", position.StopLossPx, "stop_loss",
                "take-profit limit crossed");
        }
    }

    private void ExitAtVwap(OpenPosition position, MinuteInputs minute) =>
        ExitAtClose(position, minute, "exit_vwap", "close crossed vwap");

    /// <summary>A taker exit at the minute close (exit_vwap, exit_time): cancels the stop, fills, cancels the take-profit.</summary>
    private void ExitAtClose(OpenPosition position, MinuteInputs minute, string kind, string why)
    {
        var orderId = NextOrderId();
        var what = kind == "exit_vwap" ? "exit at vwap" : "exit at the horizon";
        _sink.OnOrder(new OrderEvent(minute.CloseTs, orderId, position.PositionId, "placed", kind, Side(!position.IsLong),
            "market", minute.Close, position.Qty, null, why));
        _sink.OnOrder(new OrderEvent(minute.CloseTs, position.StopLossOrderId, position.PositionId, "cancelled", "stop_loss",
            Side(!position.IsLong), "stop_market", position.StopLossPx, position.Qty, null, "replaced by " + what));
        ClosePosition(position, minute.CloseTs, kind, orderId, "market", minute.Close, "taker", _x.TakerFeeRate, null,
            position.TakeProfitOrderId, "limit", position.TakeProfitPx, "take_profit", what);
    }

    private void ClosePosition(OpenPosition position, long ts, string reason, string orderId, string orderType, decimal px,
        string liquidity, decimal feeRate, string? tradeId, string otherOrderId, string otherType, decimal otherPx, string otherKind,
        string why)
    {
        _position = null;
        var exitSide = Side(!position.IsLong);
        var fee = ContractPnl.Fee(_contract.Inverse, _x.Notional, px, feeRate);
        _sink.OnOrder(new OrderEvent(ts, orderId, position.PositionId, "filled", reason, exitSide, orderType, px, position.Qty, null, why));
        Fill(new FillEvent(ts, NextFillId(), orderId, position.PositionId, reason, exitSide, px, position.Qty, _x.Notional,
            liquidity, feeRate, fee, tradeId) { Inverse = _contract.Inverse, NotionalCcy = _contract.NotionalCcy, FeeCcy = _contract.PnlCcy });
        _sink.OnOrder(new OrderEvent(ts, otherOrderId, position.PositionId, "cancelled", otherKind, exitSide, otherType, otherPx,
            position.Qty, null, "other exit filled"));

        var gross = ContractPnl.Gross(_contract.Inverse, position.IsLong, _x.Notional, position.EntryPx, px);
        var fees = position.EntryFee + fee;
        var net = gross - fees;
        var netPct = ContractPnl.ReturnPct(_contract.Inverse, net, _x.Notional, position.EntryPx);
        _day = AddRealized(_day, TradeTime.Day(ts), net, netPct);
        _sink.OnPosition(new PositionEvent(ts, position.PositionId, "close", Direction(position.IsLong), position.Qty, _x.Notional,
            position.EntryPx, position.EntryTs, px, reason, gross, fees, net, netPct) { Inverse = _contract.Inverse, NotionalCcy = _contract.NotionalCcy, PnlCcy = _contract.PnlCcy });
    }

    private void Fill(FillEvent fill)
    {
        _sink.OnFill(fill);
        _risk?.OnFill(RiskFill.From(fill, _config.InstId));
    }

    private static DayStats AddEntry(DayStats? current, DateOnly day) =>
        current is { } d && d.Day == day ? d with { Entries = d.Entries + 1 }
        : current is { } older && older.Day > day ? older
        : new DayStats(day, 1, 0, 0);

    private DayStats? AddRealized(DayStats? current, DateOnly day, decimal net, decimal netPct) =>
        current is { } d && d.Day == day
            ? d with { RealizedNet = d.RealizedNet + net, RealizedNetPct = (d.RealizedNetPct ?? d.RealizedNet / _x.Notional * 100m) + netPct }
        : current is { } older && older.Day > day ? older
        : new DayStats(day, 0, net, netPct);

    private string NextOrderId() => "o" + (++_orderSeq).ToString(CultureInfo.InvariantCulture);

    private string NextFillId() => "f" + (++_fillSeq).ToString(CultureInfo.InvariantCulture);

    private static string Side(bool buy) => buy ? "buy" : "sell";

    private static string Direction(bool isLong) => isLong ? "long" : "short";

    private static string Text(decimal value) => ExactDecimal.Format(value);

    private static string Seconds(long ms) => (ms / 1000).ToString(CultureInfo.InvariantCulture) + " s";

    internal static string Iso(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
