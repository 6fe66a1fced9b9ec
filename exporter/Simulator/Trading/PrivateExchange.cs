using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Serilog;

namespace Pipeline.Simulator.Trading;

/// <summary>
/// The venue-neutral private exchange: accounts, orders, matching, positions, fees, user-stream events, rate limits
/// and faults. The venue adapters (Binance REST and user stream) translate requests and events to their wire.
/// <para>Matching. A post-only order is refused when it would cross the simulated book at placement (a buy at or above
/// the best ask, a sell at or below the best bid); otherwise it rests, invisible to the simulated market (the account is
/// a price-taker: its orders never move the public book or tape). It fills as maker, at its own price, when a print of
/// the simulated tape trades <em>through</em> it: a taker sell printed strictly below a resting buy, a taker buy printed
/// strictly above a resting sell (a print at the price itself does not fill: the order's place in the queue is unknown).
/// Each such print fills at most its own size, shared among the resting orders by price then time priority; what is
/// left rests for the next prints (a partial fill). A market order walks the opposite side of the book now, level by
/// level (one fill per level, at that level's price: slippage), and expires what the book cannot fill; an IOC limit
/// order does the same up to its price. The book is the public one: the account's own taker fills do not deplete it.</para>
/// </summary>
public sealed class PrivateExchange : ILiveSink, IDisposable
{
    private static readonly ILogger Log = Serilog.Log.ForContext<PrivateExchange>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PrivateAccount> _byKey = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, MarketGenerator> _markets;
    private readonly MicroFeed _micro;
    private readonly SimClock _clock;
    private readonly PrivateTruthLog? _truth;
    private long _nextOrderId;
    private long _nextTradeId;

    internal PrivateExchange(SimulatorOptions options, SimClock clock, IReadOnlyDictionary<string, MarketGenerator> markets, MicroFeed micro)
    {
        _markets = markets;
        _micro = micro;
        _clock = clock;
        _truth = options.TruthDir is { } dir ? new PrivateTruthLog(dir) : null;
        Faults = new PrivateFaults(options.Faults, unchecked((int)options.Seed) ^ 0x0DE5);
        _nextOrderId = 8_389_765_000_000 + (long)(options.Seed % 1000) * 1000;
        _nextTradeId = 5_000_000_000 + (long)(options.Seed % 1000) * 1000;
        foreach (var spec in options.Accounts)
        {
            if (!_byKey.TryAdd(spec.ApiKey, new PrivateAccount(spec, options.Time)))
            {
                throw new ArgumentException($"account {spec.Name}: the same API key is given twice", nameof(options));
            }
        }
    }

    public PrivateFaults Faults { get; }

    public IEnumerable<PrivateAccount> Accounts => _byKey.Values;

    public PrivateAccount? FindByKey(string? apiKey) => apiKey is not null && _byKey.TryGetValue(apiKey, out var a) ? a : null;

    /// <summary>Places an order: rate limits, client id, tick/step, faults, post-only check, immediate matching.</summary>
    public PlaceResult Place(PrivateAccount account, PlaceRequest request) => Place(account, request, cancelWouldTake: false);

    /// <summary>
    /// OKX's answer to a post-only order that would take: the order is accepted, recorded and canceled at once by the
    /// engine (cancelSource 31), where Binance refuses it. Refused (any other reason) as <see cref="Place(PrivateAccount, PlaceRequest)"/> would.
    /// </summary>
    public PlaceResult PlaceOrCancelPostOnly(PrivateAccount account, PlaceRequest request) => Place(account, request, cancelWouldTake: true);

    private PlaceResult Place(PrivateAccount account, PlaceRequest request, bool cancelWouldTake)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var now = _clock.NowMs;
            var result = PlaceLocked(account, request, now);
            if (cancelWouldTake && result.Error == PlaceError.PostOnlyWouldTake)
            {
                var order = NewOrder(account, request, now) with { Status = PrivateOrderStatus.Canceled, PostOnlyCanceled = true };
                account.Store(order);
                Emit(account, new PrivateEvent("CANCELED", now, order, null, account.Position(request.InstId), account.WalletBalance));
                return new PlaceResult(PlaceError.None, order, order);
            }

            if (!result.Accepted)
            {
                _truth?.Refused(account.Name, now, request, result.Error);
                Log.Debug("Simulated order refused for {Account}: {Reason}", account.Name, result.Error);
            }

            return result;
        }
    }

    /// <summary>Cancels an open order found by id or client id: the order (null when there is none) and whether this call canceled it (false: it was no longer open).</summary>
    public (PrivateOrder? Order, bool Canceled) Cancel(PrivateAccount account, string instId, long? orderId, string? clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            var order = FindLocked(account, instId, orderId, clientOrderId);
            if (order is null || !order.IsOpen)
            {
                return (order, false);
            }

            var now = _clock.NowMs;
            var canceled = order with { Status = PrivateOrderStatus.Canceled, UpdatedMs = now };
            account.Store(canceled);
            Emit(account, new PrivateEvent("CANCELED", now, canceled, null, account.Position(instId), account.WalletBalance));
            return (canceled, true);
        }
    }

    /// <summary>An order of the account by exchange id or client id (open or not).</summary>
    public PrivateOrder? Find(PrivateAccount account, string instId, long? orderId, string? clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return FindLocked(account, instId, orderId, clientOrderId);
        }
    }

    /// <summary>The account's fills in <paramref name="instId"/> with ts ≥ <paramref name="sinceMs"/>, oldest first, each with its order after the fill.</summary>
    public IReadOnlyList<(PrivateOrder Order, PrivateFill Fill)> Fills(PrivateAccount account, string instId, long sinceMs)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return account.FillsByInstrument.TryGetValue(instId, out var fills) ? [.. fills.Where(f => f.Fill.Ts >= sinceMs)] : [];
        }
    }

    /// <summary>How many fills the account has had in <paramref name="instId"/> (what <see cref="Fills"/> from 0 would count, without the copy).</summary>
    public int FillCount(PrivateAccount account, string instId)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return account.FillsByInstrument.TryGetValue(instId, out var fills) ? fills.Count : 0;
        }
    }

    public IReadOnlyList<PrivateOrder> OpenOrders(PrivateAccount account, string? instId)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return [.. account.Open.Values.Where(o => instId is null || o.InstId == instId).OrderBy(o => o.OrderId)];
        }
    }

    /// <summary>The account's positions (every instrument it ever traded, flat ones included), wallet balance.</summary>
    public (IReadOnlyList<PrivatePosition> Positions, decimal Wallet) Snapshot(PrivateAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            return ([.. account.Positions.Values.OrderBy(p => p.InstId, StringComparer.Ordinal)], account.WalletBalance);
        }
    }

    /// <summary>The mark price used for unrealised PnL: the mid of the simulated touch (null when a side is empty).</summary>
    public decimal? MarkPrice(string instId)
    {
        var book = _micro.Read(instId, e => e.Current());
        var i = _markets[instId].Instrument;
        return book.Bids.Count > 0 && book.Asks.Count > 0 ? (Units(book.Bids[0].Px, i.PriceScale) + Units(book.Asks[0].Px, i.PriceScale)) / 2 : null;
    }

    public void Subscribe(PrivateAccount account, IPrivateListener listener)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            account.Listeners.Add(listener);
        }
    }

    public void Unsubscribe(PrivateAccount account, IPrivateListener listener)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            account.Listeners.Remove(listener);
        }
    }

    /// <summary>The fault "user stream dropped", now: every user-stream connection (of one account, or all) is aborted. Returns how many.</summary>
    public int DropUserStreams(PrivateAccount? account = null)
    {
        List<IPrivateListener> listeners;
        lock (_gate)
        {
            IEnumerable<PrivateAccount> accounts = account is null ? _byKey.Values : [account];
            listeners = [.. accounts.SelectMany(a => a.Listeners)];
            foreach (var a in accounts)
            {
                a.Listeners.Clear();
            }
        }

        foreach (var l in listeners)
        {
            l.Drop();
        }

        return listeners.Count;
    }

    /// <summary>The tape: prints that trade through resting post-only orders fill them as maker.</summary>
    public void Offer(LiveBatch batch)
    {
        var instrument = batch.Block.Instrument;
        lock (_gate)
        {
            var resting = _byKey.Values.SelectMany(a => a.Open.Values.Where(o => o.InstId == instrument.InstId).Select(o => (a, o))).ToList();
            if (resting.Count == 0)
            {
                return;
            }

            var prints = batch.Block.Prints.Span;
            for (var k = batch.PrintStart; k < batch.PrintEnd; k++)
            {
                var print = prints[k];
                var px = Units(print.PriceUnits, instrument.PriceScale);
                var available = Units(print.SizeUnits, instrument.SizeScale);
                // A taker buy lifts resting sells priced below the print, best (lowest) first; a taker sell hits buys above it.
                var through = resting
                    .Where(r => r.o.IsOpen && (print.Buy ? r.o.Side == PrivateSide.Sell && r.o.Price < px : r.o.Side == PrivateSide.Buy && r.o.Price > px))
                    .OrderBy(r => print.Buy ? r.o.Price : -r.o.Price).ThenBy(r => r.o.OrderId).ToList();
                foreach (var (account, order) in through)
                {
                    if (available <= 0)
                    {
                        break;
                    }

                    var current = account.Orders[order.OrderId];
                    var qty = Math.Min(current.Remaining, available);
                    var done = Fill(account, instrument, current, current.Price, qty, maker: true, print.Ts);
                    available -= done.FilledQuantity - current.FilledQuantity;
                    var i = resting.FindIndex(r => r.o.OrderId == order.OrderId);
                    resting[i] = (account, done);
                }
            }
        }
    }

    public void Dispose() => _truth?.Dispose();

    internal static decimal Units(long units, int scale) => units / Pow10(scale);

    private static decimal Pow10(int scale)
    {
        var p = 1m;
        for (var i = 0; i < scale; i++)
        {
            p *= 10;
        }

        return p;
    }

    private PlaceResult PlaceLocked(PrivateAccount account, PlaceRequest request, long now)
    {
        if (!_markets.TryGetValue(request.InstId, out var market))
        {
            return PlaceResult.Refused(PlaceError.UnknownInstrument);
        }

        var i = market.Instrument;
        foreach (var (limit, limiter) in account.Limiters)
        {
            if (!limiter.TryAcquire())
            {
                return PlaceResult.Refused(PlaceError.RateLimited, limit);
            }
        }

        var step = Units(i.LotUnits, i.SizeScale);
        if (request.Quantity <= 0 || request.Quantity % step != 0)
        {
            return PlaceResult.Refused(PlaceError.BadQuantity);
        }

        var tick = Units(i.TickUnits, i.PriceScale);
        if (request.Type != PrivateOrderType.Market && (request.Price <= 0 || request.Price % tick != 0))
        {
            return PlaceResult.Refused(PlaceError.BadPrice);
        }

        if (request.ClientOrderId is { } cid && account.ByClientOrderId.ContainsKey(cid))
        {
            return PlaceResult.Refused(PlaceError.DuplicateClientOrderId);
        }

        if (request.ReduceOnly && !Reduces(account.Position(i.InstId).Quantity, request.Side))
        {
            return PlaceResult.Refused(PlaceError.ReduceOnlyRejected);
        }

        if (Faults.Take(PrivateFault.Reject))
        {
            return PlaceResult.Refused(PlaceError.Rejected);
        }

        var book = _micro.Read(i.InstId, e => e.Current());
        if (request.Type == PrivateOrderType.PostOnly)
        {
            var crosses = request.Side == PrivateSide.Buy
                ? book.Asks.Count > 0 && request.Price >= Units(book.Asks[0].Px, i.PriceScale)
                : book.Bids.Count > 0 && request.Price <= Units(book.Bids[0].Px, i.PriceScale);
            if (crosses)
            {
                return PlaceResult.Refused(PlaceError.PostOnlyWouldTake);
            }
        }

        var order = NewOrder(account, request, now);
        account.Store(order);
        if (!Faults.Take(PrivateFault.EventLost))
        {
            Emit(account, new PrivateEvent("NEW", now, order, null, account.Position(i.InstId), account.WalletBalance));
        }
        else
        {
            _truth?.Write(new PrivateEvent("NEW", now, order, null, account.Position(i.InstId), account.WalletBalance)); // the truth still knows
        }

        var result = order;
        if (request.Type != PrivateOrderType.PostOnly)
        {
            result = Take(account, i, order, book, now);
        }

        return new PlaceResult(PlaceError.None, order, result);
    }

    /// <summary>A new order with the next id (its client id "sim{id}" when the request gives none), status NEW.</summary>
    private PrivateOrder NewOrder(PrivateAccount account, PlaceRequest request, long now)
    {
        var id = ++_nextOrderId;
        return new PrivateOrder
        {
            OrderId = id, ClientOrderId = request.ClientOrderId ?? "sim" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Account = account.Name, InstId = request.InstId, Side = request.Side, Type = request.Type,
            Price = request.Type == PrivateOrderType.Market ? 0 : request.Price, Quantity = request.Quantity, CreatedMs = now, UpdatedMs = now,
            ReduceOnly = request.ReduceOnly,
        };
    }

    /// <summary>A taker order against the book now: level by level up to its limit (market: none); the rest expires.</summary>
    private PrivateOrder Take(PrivateAccount account, SimInstrument i, PrivateOrder order, BookState book, long now)
    {
        var levels = order.Side == PrivateSide.Buy ? book.Asks : book.Bids;
        foreach (var (pxUnits, szUnits) in levels)
        {
            if (!order.IsOpen)
            {
                break;
            }

            var px = Units(pxUnits, i.PriceScale);
            if (order.Type == PrivateOrderType.Ioc && (order.Side == PrivateSide.Buy ? px > order.Price : px < order.Price))
            {
                break;
            }

            var before = order.FilledQuantity;
            var intended = Math.Min(order.Remaining, Units(szUnits, i.SizeScale));
            order = Fill(account, i, order, px, intended, maker: false, now);
            if (order.FilledQuantity - before < intended)
            {
                break; // a partial-fill fault cut this fill short: the rest expires
            }
        }

        if (order.IsOpen)
        {
            order = order with { Status = PrivateOrderStatus.Expired, UpdatedMs = now };
            account.Store(order);
            Emit(account, new PrivateEvent("EXPIRED", now, order, null, account.Position(i.InstId), account.WalletBalance));
        }

        return order;
    }

    /// <summary>Fills <paramref name="qty"/> of <paramref name="order"/> at <paramref name="price"/> (or half of it, under the partial-fill fault): fee, position, wallet, events.</summary>
    private PrivateOrder Fill(PrivateAccount account, SimInstrument i, PrivateOrder order, decimal price, decimal qty, bool maker, long ts)
    {
        if (qty >= order.Remaining && Faults.Take(PrivateFault.PartialFill))
        {
            var step = Units(i.LotUnits, i.SizeScale);
            var half = Math.Floor(order.Remaining / 2 / step) * step;
            if (half > 0)
            {
                qty = half;
            }
        }

        if (order.ReduceOnly)
        {
            var open = account.Position(i.InstId).Quantity;
            qty = Reduces(open, order.Side) ? Math.Min(qty, Math.Abs(open)) : 0;
            if (qty == 0)
            {
                var canceled = order with { Status = PrivateOrderStatus.Canceled, UpdatedMs = ts };
                account.Store(canceled);
                Emit(account, new PrivateEvent("CANCELED", ts, canceled, null, account.Position(i.InstId), account.WalletBalance));
                return canceled;
            }
        }

        var multiplier = i.IsBinance ? 1m : decimal.Parse(i.CtVal, System.Globalization.CultureInfo.InvariantCulture);
        var fee = price * qty * multiplier * (maker ? account.Spec.MakerFee : account.Spec.TakerFee);
        var (position, realized) = account.Position(i.InstId).Apply(order.Side, price, qty, multiplier);
        account.Positions[i.InstId] = position;
        account.WalletBalance += realized - fee;
        var filled = order.FilledQuantity + qty;
        var next = order with
        {
            FilledQuantity = filled,
            FilledQuote = order.FilledQuote + price * qty,
            Status = filled == order.Quantity ? PrivateOrderStatus.Filled : PrivateOrderStatus.PartiallyFilled,
            UpdatedMs = ts,
        };
        account.Store(next);
        var fill = new PrivateFill(++_nextTradeId, ts, price, qty, maker, fee, realized);
        if (!account.FillsByInstrument.TryGetValue(i.InstId, out var fills))
        {
            account.FillsByInstrument[i.InstId] = fills = [];
        }

        fills.Add((next, fill));
        Emit(account, new PrivateEvent("TRADE", ts, next, fill, position, account.WalletBalance));
        return next;
    }

    /// <summary>Whether an order of <paramref name="side"/> reduces a position of signed <paramref name="position"/> (false when flat).</summary>
    private static bool Reduces(decimal position, PrivateSide side) =>
        side == PrivateSide.Buy ? position < 0 : position > 0;

    private void Emit(PrivateAccount account, PrivateEvent e)
    {
        _truth?.Write(e);
        foreach (var listener in account.Listeners.ToList())
        {
            if (Faults.Take(PrivateFault.DropUserStream))
            {
                account.Listeners.Remove(listener);
                listener.Drop();
                continue;
            }

            try
            {
                listener.OnEvent(e);
            }
            // Catch-all on purpose: one broken connection must not stop the account's matching
            catch (Exception ex)
            {
                Log.Warning(ex, "User-stream listener failed for {Account}", account.Name);
            }
        }
    }

    private static PrivateOrder? FindLocked(PrivateAccount account, string instId, long? orderId, string? clientOrderId)
    {
        if (orderId is { } id)
        {
            return account.Orders.TryGetValue(id, out var o) && o.InstId == instId ? o : null;
        }

        return clientOrderId is null ? null : account.ByClientOrderId.TryGetValue(clientOrderId, out var id2) && account.Orders[id2].InstId == instId ? account.Orders[id2] : null;
    }
}
