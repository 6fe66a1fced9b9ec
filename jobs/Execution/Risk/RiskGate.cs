using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// The hard limits of one strategy at order time. The executor calls <see cref="Check"/> for every order before it is
/// sent, <see cref="OnPrice"/> for every live price of the strategy's instrument (the volatility halt and the daily loss
/// on unrealised PnL act between minute closes), <see cref="OnFill"/> for every fill (positions and the day's realised
/// PnL), and <see cref="FlattenDue"/> to learn when to cancel and flatten (kill switch, daily loss with
/// flattenOnDailyLoss, an auto-flatten time). Times are the caller's: event time in paper and backtest, the
/// TimeProvider's clock live; the gate reads no clock itself. Money is decimal, valued linearly in the quote currency.
/// </summary>
public sealed class RiskGate
{
    private const long MinuteMs = TradeTime.MsPerMinute;
    private const int FillIdMemory = 256;

    private readonly VolatilityMonitor? _volatility;
    private readonly decimal? _volatilityRate;
    private readonly long _volatilityHaltMs;
    private readonly Dictionary<string, Book> _books = new(StringComparer.Ordinal);
    private readonly Queue<RiskOrder> _orders = new();
    private readonly Queue<string> _fillIds = new();
    private readonly HashSet<string> _fillIdSet = new(StringComparer.Ordinal);

    private KillSwitch? _kill;
    private DateOnly? _day;
    private decimal _dayRealized;
    private RiskHalt? _dailyHalt;
    private long _volSinceMs;
    private long _volUntilMs;
    private decimal _volMove;
    private long? _flattenChecked;
    private long _nextFlattenMs = long.MaxValue;
    private long? _killFlattenedFor;
    private long? _dailyLossFlattenedFor;
    private long _now;
    private readonly Book? _primary;

    public RiskGate(string strategy, RiskLimits limits, RiskState? state = null, KillSwitch? kill = null, string? instId = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(limits);
        Strategy = strategy;
        Limits = limits;
        InstId = instId;
        _kill = kill;
        if (limits.VolatilityHaltRate is { } rate)
        {
            _volatility = new VolatilityMonitor((int)limits.VolatilityWindow.TotalSeconds);
            _volatilityRate = rate;
            _volatilityHaltMs = (long)limits.VolatilityHaltFor.TotalMilliseconds;
        }

        if (state is not null)
        {
            Restore(state);
        }

        if (instId is not null)
        {
            _primary = BookOf(instId);
        }
    }

    public string Strategy { get; }

    public RiskLimits Limits { get; }

    /// <summary>The instrument whose live prices <see cref="OnPrice"/> receives.</summary>
    public string? InstId { get; }

    public KillSwitch? Kill => _kill;

    /// <summary>Realised net PnL of the current UTC day (quote).</summary>
    public decimal DayRealized => _dayRealized;

    /// <summary>Unrealised PnL of every position at its last known price (quote).</summary>
    public decimal Unrealized
    {
        get
        {
            var sum = 0m;
            foreach (var book in _books.Values)
            {
                sum += book.Qty * (book.Mark - book.Avg);
            }

            return sum;
        }
    }

    /// <summary>The signed base position of <paramref name="instId"/>.</summary>
    public decimal PositionQty(string instId) => _books.TryGetValue(instId, out var b) ? b.Qty : 0m;

    /// <summary>A new kill switch state (a long-running executor re-reads the file; a pass reads it at start).</summary>
    public void SetKill(KillSwitch? kill) => _kill = kill;

    /// <summary>
    /// A live price of <see cref="InstId"/>: may start a volatility halt (≥ volatilityHaltPct within volatilityWindow,
    /// until ts + volatilityHaltFor) or the daily loss halt (unrealised at this price). Allocates nothing unless a
    /// daily loss halt starts.
    /// </summary>
    public void OnPrice(long ts, decimal px)
    {
        Advance(ts);
        if (_volatility is not null && _volatility.Add(ts, px) is var move && move >= _volatilityRate && ts + _volatilityHaltMs > _volUntilMs)
        {
            _volSinceMs = ts;
            _volUntilMs = ts + _volatilityHaltMs;
            _volMove = move;
        }

        if (_primary is { } book)
        {
            book.Mark = px;
            if (book.Qty != 0)
            {
                CheckDailyLoss(ts);
            }
        }
    }

    /// <summary>
    /// May <paramref name="intent"/> be sent now at <paramref name="livePx"/>, given the positions and the day's PnL the
    /// gate has booked? The first limit that applies is the reason. An allowed order is counted for the per-minute
    /// limit; an order id already counted is allowed again (a repeated pass). Reduce-only orders are always allowed.
    /// </summary>
    public RiskDecision Check(in OrderIntent intent, decimal livePx, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(intent.OrderId);
        Advance(nowMs);
        var book = BookOf(intent.InstId);
        book.Mark = livePx;
        while (_orders.TryPeek(out var oldest) && oldest.Ts <= nowMs - MinuteMs)
        {
            _orders.Dequeue();
        }

        if (intent.ReduceOnly || Counted(intent.OrderId))
        {
            return RiskDecision.Allow;
        }

        if (_kill is { Active: true } kill)
        {
            return RiskDecision.Block("kill_switch", $"kill switch set at {Iso(kill.SetAtMs)}{(kill.Reason.Length > 0 ? " (" + kill.Reason + ")" : "")}; clear with pipeline kill --strategy {Strategy} --clear");
        }

        if (ActiveDailyHalt(nowMs) is { } daily)
        {
            return RiskDecision.Block("daily_loss", daily.Reason + " until " + Iso(daily.UntilMs));
        }

        if (nowMs < _volUntilMs)
        {
            return RiskDecision.Block("volatility", VolatilityReason());
        }

        foreach (var window in Limits.Maintenance)
        {
            if (window.Contains(nowMs))
            {
                return RiskDecision.Block("maintenance", $"maintenance window {window.Text} UTC until {Iso(window.EndOf(nowMs))}");
            }
        }

        if (CheckDailyLoss(nowMs) is { } breach)
        {
            return RiskDecision.Block("daily_loss", breach.Reason + " until " + Iso(breach.UntilMs));
        }

        if (Limits.MaxOrdersPerMinute is { } perMinute && _orders.Count >= perMinute)
        {
            return RiskDecision.Block("orders_per_minute", $"{Count(_orders.Count)} orders in the last 60 s ≥ maxOrdersPerMinute {Count(perMinute)}");
        }

        var projected = book.Qty + (intent.IsBuy ? intent.Qty : -intent.Qty);
        if (Limits.MaxPositionQty is { } maxQty && Math.Abs(projected) > maxQty)
        {
            return RiskDecision.Block("position_qty", $"position {Text(projected)} after the order > maxPositionQty {Text(maxQty)}");
        }

        var notional = Math.Abs(projected) * livePx;
        if (Limits.MaxNotional is { } maxNotional && notional > maxNotional)
        {
            return RiskDecision.Block("notional", $"notional {Text(Round(notional))} after the order > maxNotional {Text(maxNotional)}");
        }

        if (Limits.MaxTotalNotional is { } maxTotal)
        {
            var total = notional;
            foreach (var other in _books.Values)
            {
                total += ReferenceEquals(other, book) ? 0m : Math.Abs(other.Qty) * other.Mark;
            }

            if (total > maxTotal)
            {
                return RiskDecision.Block("total_notional", $"total notional {Text(Round(total))} after the order > maxTotalNotional {Text(maxTotal)}");
            }
        }

        _orders.Enqueue(new RiskOrder(nowMs, intent.OrderId));
        return RiskDecision.Allow;
    }

    /// <summary>Books a fill (once per fill id): position, average price, the day's realised PnL net of the fee.</summary>
    public void OnFill(in RiskFill fill)
    {
        ArgumentNullException.ThrowIfNull(fill.FillId);
        if (!_fillIdSet.Add(fill.FillId))
        {
            return;
        }

        _fillIds.Enqueue(fill.FillId);
        if (_fillIds.Count > FillIdMemory)
        {
            _fillIdSet.Remove(_fillIds.Dequeue());
        }

        Advance(fill.Ts);
        var book = BookOf(fill.InstId);
        var signed = fill.IsBuy ? fill.Qty : -fill.Qty;
        var realized = 0m;
        if (book.Qty == 0 || Math.Sign(book.Qty) == Math.Sign(signed))
        {
            var size = Math.Abs(book.Qty) + fill.Qty;
            book.Avg = ((book.Avg * Math.Abs(book.Qty)) + (fill.Px * fill.Qty)) / size;
        }
        else
        {
            var closed = Math.Min(Math.Abs(book.Qty), fill.Qty);
            realized = closed * (fill.Px - book.Avg) * Math.Sign(book.Qty);
            if (fill.Qty > Math.Abs(book.Qty))
            {
                book.Avg = fill.Px; // the position flipped: the rest opened at this price
            }
        }

        book.Qty += signed;
        if (book.Qty == 0)
        {
            book.Avg = 0;
        }

        book.Mark = fill.Px;
        if (TradeTime.Day(fill.Ts) == _day)
        {
            _dayRealized += realized - fill.FeeQuote;
        }

        CheckDailyLoss(fill.Ts);
    }

    /// <summary>
    /// Whether the executor must cancel open orders and flatten now, and why (null: no). After doing it the executor
    /// calls <see cref="OnFlattened"/>; a request is answered once. Allocates only when one is due.
    /// </summary>
    public string? FlattenDue(long nowMs)
    {
        Advance(nowMs);
        if (_kill is { Active: true } kill && _killFlattenedFor != kill.SetAtMs)
        {
            return $"kill switch set at {Iso(kill.SetAtMs)}";
        }

        if (Limits.FlattenOnDailyLoss && ActiveDailyHalt(nowMs) is { } daily && _dailyLossFlattenedFor != daily.UntilMs)
        {
            return daily.Reason;
        }

        if (Limits.FlattenAt.Count > 0)
        {
            if (_flattenChecked is null)
            {
                MarkFlattenChecked(nowMs);
            }
            else if (nowMs >= _nextFlattenMs)
            {
                var time = Limits.FlattenAt.First(t => t.SinceStart(_nextFlattenMs) == 0);
                return $"auto-flatten at {time.Text} UTC";
            }
        }

        return null;
    }

    /// <summary>The executor cancelled and flattened at <paramref name="nowMs"/>: every request due then is answered.</summary>
    public void OnFlattened(long nowMs)
    {
        if (_kill is { Active: true } kill)
        {
            _killFlattenedFor = kill.SetAtMs;
        }

        if (ActiveDailyHalt(nowMs) is { } daily)
        {
            _dailyLossFlattenedFor = daily.UntilMs;
        }

        MarkFlattenChecked(nowMs);
    }

    /// <summary>The halts in force at <paramref name="nowMs"/> (kill switch first), for status and health.</summary>
    public IReadOnlyList<RiskHalt> ActiveHalts(long nowMs)
    {
        var halts = new List<RiskHalt>();
        if (_kill is { Active: true } kill)
        {
            halts.Add(new RiskHalt("kill_switch", kill.Reason.Length > 0 ? kill.Reason : "kill switch", kill.SetAtMs, long.MaxValue));
        }

        if (ActiveDailyHalt(nowMs) is { } daily)
        {
            halts.Add(daily);
        }

        if (nowMs < _volUntilMs)
        {
            halts.Add(new RiskHalt("volatility", VolatilityReason(), _volSinceMs, _volUntilMs));
        }

        return halts;
    }

    /// <summary>The state to persist (<see cref="RiskStore.Save"/>); a gate built from it continues exactly.</summary>
    public RiskState Snapshot()
    {
        var halts = new List<RiskHalt>();
        if (_dailyHalt is { } daily)
        {
            halts.Add(daily);
        }

        if (_volUntilMs > 0)
        {
            halts.Add(new RiskHalt("volatility", VolatilityReason(), _volSinceMs, _volUntilMs));
        }

        return new RiskState
        {
            Strategy = Strategy, Day = _day, DayRealized = _dayRealized, Halts = halts,
            Positions = _books.Where(b => b.Value.Qty != 0).Select(b => new RiskPosition(b.Key, b.Value.Qty, b.Value.Avg, b.Value.Mark)).ToList(),
            RecentOrders = _orders.Where(o => o.Ts > _now - MinuteMs).ToList(), RecentFillIds = _fillIds.ToList(),
            PriceSeconds = _volatility?.Save() ?? [],
            FlattenCheckedMs = _flattenChecked, KillFlattenedFor = _killFlattenedFor, DailyLossFlattenedFor = _dailyLossFlattenedFor, Now = _now,
        };
    }

    private void Restore(RiskState state)
    {
        _day = state.Day;
        _dayRealized = state.DayRealized;
        _now = state.Now;
        foreach (var halt in state.Halts)
        {
            if (halt.Kind == "daily_loss")
            {
                _dailyHalt = halt;
            }
            else if (halt.Kind == "volatility")
            {
                _volSinceMs = halt.SinceMs;
                _volUntilMs = halt.UntilMs;
                _volMove = ParseMove(halt.Reason);
            }
        }

        foreach (var p in state.Positions)
        {
            var book = BookOf(p.InstId);
            (book.Qty, book.Avg, book.Mark) = (p.Qty, p.AvgPx, p.MarkPx);
        }

        foreach (var order in state.RecentOrders)
        {
            _orders.Enqueue(order);
        }

        foreach (var id in state.RecentFillIds)
        {
            if (_fillIdSet.Add(id))
            {
                _fillIds.Enqueue(id);
            }
        }

        _volatility?.Restore(state.PriceSeconds);
        _killFlattenedFor = state.KillFlattenedFor;
        _dailyLossFlattenedFor = state.DailyLossFlattenedFor;
        if (state.FlattenCheckedMs is { } checkedMs)
        {
            MarkFlattenChecked(checkedMs);
        }
    }

    /// <summary>Moves the gate's time forward; a new UTC day starts the day's PnL at zero (the daily-loss halt ends with its day).</summary>
    private void Advance(long ts)
    {
        if (ts > _now)
        {
            _now = ts;
        }

        var day = TradeTime.Day(_now);
        if (_day is not { } current || day > current)
        {
            _day = day;
            _dayRealized = 0;
        }
    }

    private RiskHalt? ActiveDailyHalt(long nowMs) => _dailyHalt is { } h && nowMs < h.UntilMs && nowMs >= h.SinceMs ? h : null;

    /// <summary>Starts the daily-loss halt when realised + unrealised ≤ −dailyLossLimit (returns it, or null).</summary>
    private RiskHalt? CheckDailyLoss(long nowMs)
    {
        if (Limits.DailyLossLimit is not { } limit)
        {
            return null;
        }

        if (ActiveDailyHalt(nowMs) is { } active)
        {
            return active;
        }

        var unrealized = Unrealized;
        var pnl = _dayRealized + unrealized;
        if (-pnl < limit)
        {
            return null;
        }

        var until = TradeTime.DayStartMs(TradeTime.Day(nowMs)) + TradeTime.MsPerDay;
        _dailyHalt = new RiskHalt("daily_loss",
            $"daily loss {Text(Round(-pnl))} (realised {Text(Round(_dayRealized))}, unrealised {Text(Round(unrealized))}) ≥ dailyLossLimit {Text(limit)}",
            nowMs, until);
        return _dailyHalt;
    }

    private void MarkFlattenChecked(long nowMs)
    {
        _flattenChecked = nowMs;
        _nextFlattenMs = long.MaxValue;
        foreach (var time in Limits.FlattenAt)
        {
            _nextFlattenMs = Math.Min(_nextFlattenMs, time.NextStartAfter(nowMs));
        }
    }

    private string VolatilityReason() =>
        $"volatility halt: {Text(Math.Round(_volMove * 100m, 4, MidpointRounding.ToZero))} % move within {Count((long)Limits.VolatilityWindow.TotalSeconds)} s at {Iso(_volSinceMs)} until {Iso(_volUntilMs)}";

    // The move is kept in the reason only; read it back so a restored halt says the same.
    private static decimal ParseMove(string reason)
    {
        var start = reason.IndexOf(": ", StringComparison.Ordinal) + 2;
        var end = reason.IndexOf(" %", start, StringComparison.Ordinal);
        return start >= 2 && end > start && decimal.TryParse(reason[start..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pct)
            ? pct / 100m
            : 0m;
    }

    private bool Counted(string orderId)
    {
        foreach (var order in _orders)
        {
            if (order.OrderId == orderId)
            {
                return true;
            }
        }

        return false;
    }

    private Book BookOf(string instId)
    {
        if (!_books.TryGetValue(instId, out var book))
        {
            book = new Book();
            _books[instId] = book;
        }

        return book;
    }

    private static decimal Round(decimal value) => Math.Round(value, 8, MidpointRounding.ToEven);

    private static string Text(decimal value) => ExactDecimal.Format(value);

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Iso(long ms) => PaperTradingEngine.Iso(ms);

    private sealed class Book
    {
        public decimal Qty { get; set; }
        public decimal Avg { get; set; }
        public decimal Mark { get; set; }
    }
}
