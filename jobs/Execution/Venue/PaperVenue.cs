using System.Globalization;
using System.Threading.Channels;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// The paper engine's fill model as an <see cref="IOrderVenue"/> of one instrument, filled from the tape the executor
/// hands it (<see cref="ITapeListener"/>), so <see cref="VenueExecutor"/> runs the same code in paper as live:
/// <list type="bullet">
/// <item>Post-only limit: rests; filled wholly at its limit, maker fee, by the first trade strictly through it
/// (buy: px &lt; limit, sell: px &gt; limit); a trade at the limit does not fill (queue position unknown). No book: a
/// post-only order is never refused as crossing.</item>
/// <item>Market (and IOC within its limit): filled at once at the price of the last trade seen (the trade that
/// triggered it), taker fee; the request's price when no trade was seen yet.</item>
/// <item>Reduce-only: refused when flat or when it would grow the position, capped at the position; a resting
/// reduce-only order is cancelled when the position is gone.</item>
/// </list>
/// Fees are rate × quantity × price in the quote currency. Events (order, fill, position) go to <see cref="Events"/>
/// as they happen. State is in memory: a restarted process starts with an empty paper account.
/// </summary>
public sealed class PaperVenue : IOrderVenue, ITapeListener
{
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly decimal _makerFeeRate;
    private readonly decimal _takerFeeRate;
    private readonly string _feeCcy;
    private readonly Dictionary<string, VenueOrder> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _reduceOnly = new(StringComparer.Ordinal);
    private readonly List<VenueFill> _fills = [];
    private string? _instId;
    private long _orderSeq;
    private decimal _position;
    private decimal _entryPx;
    private TradeTick? _last;

    public PaperVenue(decimal makerFeeRate, decimal takerFeeRate, string feeCcy = "USDT")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(makerFeeRate);
        ArgumentOutOfRangeException.ThrowIfNegative(takerFeeRate);
        ArgumentException.ThrowIfNullOrEmpty(feeCcy);
        _makerFeeRate = makerFeeRate;
        _takerFeeRate = takerFeeRate;
        _feeCcy = feeCcy;
    }

    /// <summary>A paper venue with the strategy's fee rates, fees in its PnL currency.</summary>
    public static PaperVenue For(StrategyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var contract = config.Contract ?? ContractTerms.Linear(config.InstId);
        return new PaperVenue(config.Execution.MakerFeeRate, config.Execution.TakerFeeRate, contract.PnlCcy);
    }

    public string Venue => "paper";

    public ChannelReader<VenueEvent> Events => _events.Reader;

    public void OnTrade(in TradeTick trade)
    {
        lock (_lock)
        {
            _last = trade;
            foreach (var order in _orders.Values.Where(o => o.IsOpen && o.Type == VenueOrderType.PostOnly).OrderBy(o => o.VenueOrderId, StringComparer.Ordinal).ToList())
            {
                var through = order.Side == VenueSide.Buy ? trade.Px < order.Price : trade.Px > order.Price;
                if (!through)
                {
                    continue;
                }

                var qty = order.Quantity - order.FilledQuantity;
                if (_reduceOnly[order.ClientOrderId])
                {
                    qty = Math.Min(qty, ReducibleBy(order.Side));
                    if (qty <= 0)
                    {
                        Update(order with { Status = VenueOrderStatus.Canceled, UpdateMs = trade.Ts, Reason = "reduce-only order canceled: no position to reduce" });
                        continue;
                    }
                }

                Fill(order, order.Price, qty, maker: true, trade.Ts, trade.TradeId);
            }
        }
    }

    public Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        if (instIds.Count != 1)
        {
            throw new ArgumentException($"a paper venue fills one instrument from its tape; got {instIds.Count}", nameof(instIds));
        }

        lock (_lock)
        {
            var instId = instIds.First();
            if (_instId is not null && _instId != instId)
            {
                throw new InvalidOperationException($"this paper venue trades {_instId}, not {instId}");
            }

            _instId = instId;
        }

        return Task.CompletedTask;
    }

    public Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            CheckInstrument(request.InstId);
            if (_orders.ContainsKey(request.ClientOrderId))
            {
                throw new VenueException(VenueErrorKind.Rejected, $"paper: duplicate client order id {request.ClientOrderId}", "duplicate");
            }

            if (request.Quantity <= 0)
            {
                throw new VenueException(VenueErrorKind.Rejected, $"paper: quantity {request.Quantity} of {request.ClientOrderId} is not positive", "quantity");
            }

            var qty = request.Quantity;
            if (request.ReduceOnly)
            {
                var reducible = ReducibleBy(request.Side);
                if (reducible <= 0)
                {
                    throw new VenueException(VenueErrorKind.Rejected, $"paper: reduce-only order {request.ClientOrderId} would not reduce the position", "reduce_only");
                }

                qty = Math.Min(qty, reducible);
            }

            var ts = _last?.Ts ?? 0;
            var order = new VenueOrder(request.InstId, request.ClientOrderId, "paper-" + (++_orderSeq).ToString("D8", CultureInfo.InvariantCulture),
                request.Side, request.Type, request.Price, qty, 0m, 0m, VenueOrderStatus.New, ts);
            _reduceOnly[request.ClientOrderId] = request.ReduceOnly;
            Update(order);
            if (request.Type == VenueOrderType.PostOnly)
            {
                return Task.FromResult(order);
            }

            var px = _last?.Px ?? request.Price;
            var within = request.Type == VenueOrderType.Market || (request.Side == VenueSide.Buy ? px <= request.Price : px >= request.Price);
            if (within)
            {
                Fill(order, px, qty, maker: false, ts, _last?.TradeId ?? "none");
            }
            else
            {
                Update(order with { Status = VenueOrderStatus.Canceled, Reason = "IOC: no trade within the limit" });
            }

            return Task.FromResult(_orders[request.ClientOrderId]);
        }
    }

    public Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CheckInstrument(instId);
            if (!_orders.TryGetValue(clientOrderId, out var order) || !order.IsOpen)
            {
                return Task.FromResult<VenueOrder?>(null);
            }

            var canceled = order with { Status = VenueOrderStatus.Canceled, UpdateMs = _last?.Ts ?? order.UpdateMs, Reason = "canceled by the client" };
            Update(canceled);
            return Task.FromResult<VenueOrder?>(canceled);
        }
    }

    public Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CheckInstrument(instId);
            return Task.FromResult(_orders.GetValueOrDefault(clientOrderId));
        }
    }

    public Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CheckInstrument(instId);
            return Task.FromResult<IReadOnlyList<VenueOrder>>(_orders.Values.Where(o => o.IsOpen).ToList());
        }
    }

    public Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CheckInstrument(instId);
            return Task.FromResult(CurrentPosition());
        }
    }

    public Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CheckInstrument(instId);
            return Task.FromResult<IReadOnlyList<VenueFill>>(_fills.Where(f => f.Ts >= sinceMs).ToList());
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>How much an order of <paramref name="side"/> can reduce the position (0 when flat or on the same side).</summary>
    private decimal ReducibleBy(VenueSide side) =>
        side == VenueSide.Sell ? Math.Max(0, _position) : Math.Max(0, -_position);

    private void Fill(VenueOrder order, decimal px, decimal qty, bool maker, long ts, string tradeId)
    {
        var fee = qty * px * (maker ? _makerFeeRate : _takerFeeRate);
        var filled = order.FilledQuantity + qty;
        var avg = ((order.AveragePrice * order.FilledQuantity) + (px * qty)) / filled;
        var updated = order with
        {
            FilledQuantity = filled, AveragePrice = avg, UpdateMs = ts,
            Status = filled >= order.Quantity ? VenueOrderStatus.Filled : VenueOrderStatus.PartiallyFilled,
        };
        // The raw trade's id and the order's: one trade can fill an order and trigger a market exit of another.
        var fill = new VenueFill(order.InstId, tradeId + "-" + order.ClientOrderId, order.ClientOrderId, order.VenueOrderId, order.Side, px, qty,
            maker, fee, _feeCcy, ts);
        _fills.Add(fill);
        Book(order.Side == VenueSide.Buy ? qty : -qty, px);
        Update(updated);
        _events.Writer.TryWrite(new VenueFillUpdate(fill));
        _events.Writer.TryWrite(new VenuePositionUpdate(CurrentPosition()));
        if (_position == 0)
        {
            foreach (var resting in _orders.Values.Where(o => o.IsOpen && _reduceOnly[o.ClientOrderId]).ToList())
            {
                Update(resting with { Status = VenueOrderStatus.Canceled, UpdateMs = ts, Reason = "reduce-only order canceled: position closed" });
            }
        }
    }

    private void Book(decimal signed, decimal px)
    {
        var next = _position + signed;
        if (_position == 0 || Math.Sign(_position) == Math.Sign(signed))
        {
            _entryPx = ((_entryPx * Math.Abs(_position)) + (px * Math.Abs(signed))) / Math.Abs(next);
        }
        else if (Math.Sign(next) != Math.Sign(_position) && next != 0)
        {
            _entryPx = px;
        }

        _position = next;
        if (_position == 0)
        {
            _entryPx = 0;
        }
    }

    private VenuePosition CurrentPosition()
    {
        var mark = _last?.Px ?? _entryPx;
        return new VenuePosition(_instId ?? "", _position, _entryPx, _position * (mark - _entryPx), _last?.Ts ?? 0);
    }

    private void Update(VenueOrder order)
    {
        _orders[order.ClientOrderId] = order;
        _events.Writer.TryWrite(new VenueOrderUpdate(order));
    }

    private void CheckInstrument(string instId)
    {
        if (_instId is null)
        {
            throw new VenueException(VenueErrorKind.Unavailable, "paper: not connected (ConnectAsync first)");
        }

        if (instId != _instId)
        {
            throw new VenueException(VenueErrorKind.Rejected, $"paper: this venue trades {_instId}, not {instId}", "instrument");
        }
    }
}
