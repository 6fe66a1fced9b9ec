using System.Globalization;
using System.Threading.Channels;
using Pipeline.Exporter.Trading;

namespace Pipeline.Testing.Trading;

/// <summary>
/// An in-memory <see cref="IOrderVenue"/> a test scripts: it accepts orders (post-only rest, market orders fill at once
/// at <see cref="MarketPx"/> or the request's price), fills resting orders when the test says (<see cref="Fill"/>, with
/// or without a stream event: a fill while the executor is down), and fails on demand (<see cref="PlaceFailures"/>,
/// <see cref="LoseNextAck"/>: accepted but the answer lost, <see cref="ConnectFailure"/>). It records every call, and
/// <see cref="OnPlace"/> runs before a request is accepted (e.g. to assert the ledger already holds it).
/// Reduce-only orders are refused when flat or growing and capped at the position, as Binance and OKX do.
/// </summary>
public sealed class ScriptedVenue(string venue = "scripted", decimal makerFeeRate = 0.0002m, decimal takerFeeRate = 0.0005m, string feeCcy = "USDT")
    : IOrderVenue
{
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, VenueOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<VenueFill> _fills = [];
    private long _seq;
    private decimal _entryPx;

    public string Venue => venue;

    public ChannelReader<VenueEvent> Events => _events.Reader;

    /// <summary>Runs first in every PlaceAsync, before anything is accepted.</summary>
    public Action<VenueOrderRequest>? OnPlace { get; set; }

    /// <summary>Thrown, one per PlaceAsync, before the order is accepted (nothing reaches the venue).</summary>
    public Queue<Exception> PlaceFailures { get; } = new();

    /// <summary>The next PlaceAsync accepts the order, writes no event and throws <see cref="VenueErrorKind.Unknown"/> (the answer was lost).</summary>
    public bool LoseNextAck { get; set; }

    /// <summary>Thrown by ConnectAsync (e.g. a <see cref="VenueErrorKind.Auth"/> error).</summary>
    public Exception? ConnectFailure { get; set; }

    /// <summary>Where market orders fill (default: the request's reference price).</summary>
    public decimal? MarketPx { get; set; }

    /// <summary>Venue time of acknowledgements and market fills.</summary>
    public long Now { get; set; }

    public List<VenueOrderRequest> Placed { get; } = [];
    public List<string> Canceled { get; } = [];
    public List<string> Queried { get; } = [];
    public int ConnectCalls { get; private set; }

    /// <summary>The account's signed base position.</summary>
    public decimal Position { get; private set; }

    public VenueOrder? Order(string clientOrderId)
    {
        lock (_lock)
        {
            return _orders.GetValueOrDefault(clientOrderId);
        }
    }

    public IReadOnlyList<VenueOrder> Orders
    {
        get
        {
            lock (_lock)
            {
                return [.. _orders.Values];
            }
        }
    }

    public IReadOnlyList<VenueFill> FillHistory
    {
        get
        {
            lock (_lock)
            {
                return [.. _fills];
            }
        }
    }

    /// <summary>Fills an open order (all of what is left by default) at <paramref name="px"/>; with <paramref name="emit"/> false no stream event is written.</summary>
    public VenueFill Fill(string clientOrderId, decimal px, decimal? qty = null, bool maker = true, long? ts = null, bool emit = true)
    {
        lock (_lock)
        {
            var order = _orders[clientOrderId];
            if (!order.IsOpen)
            {
                throw new InvalidOperationException($"order {clientOrderId} is {order.Status}");
            }

            return FillLocked(order, px, qty ?? (order.Quantity - order.FilledQuantity), maker, ts ?? Now, emit);
        }
    }

    /// <summary>Sets the account's position (a position the ledger does not know, or one closed by hand).</summary>
    public void SetPosition(decimal qty, decimal entryPx = 0m)
    {
        lock (_lock)
        {
            Position = qty;
            _entryPx = entryPx;
        }
    }

    /// <summary>Writes an event to the stream (e.g. a <see cref="VenueStreamGap"/>).</summary>
    public void Emit(VenueEvent e) => _events.Writer.TryWrite(e);

    public Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken)
    {
        ConnectCalls++;
        return ConnectFailure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        OnPlace?.Invoke(request);
        lock (_lock)
        {
            Placed.Add(request);
            if (PlaceFailures.TryDequeue(out var failure))
            {
                return Task.FromException<VenueOrder>(failure);
            }

            if (_orders.ContainsKey(request.ClientOrderId))
            {
                return Task.FromException<VenueOrder>(new VenueException(VenueErrorKind.Rejected, "duplicate client order id " + request.ClientOrderId, "-4015"));
            }

            var qty = request.Quantity;
            if (request.ReduceOnly)
            {
                var reducible = request.Side == VenueSide.Sell ? Math.Max(0, Position) : Math.Max(0, -Position);
                if (reducible == 0)
                {
                    return Task.FromException<VenueOrder>(new VenueException(VenueErrorKind.Rejected, "ReduceOnly Order is rejected.", "-2022"));
                }

                qty = Math.Min(qty, reducible);
            }

            var order = new VenueOrder(request.InstId, request.ClientOrderId, "v" + (++_seq).ToString(CultureInfo.InvariantCulture), request.Side,
                request.Type, request.Price, qty, 0m, 0m, VenueOrderStatus.New, Now);
            _orders[order.ClientOrderId] = order;
            var silent = LoseNextAck; // an answer lost: its stream events are lost too, only a query tells
            if (!silent)
            {
                _events.Writer.TryWrite(new VenueOrderUpdate(order));
            }

            if (request.Type != VenueOrderType.PostOnly)
            {
                FillLocked(order, MarketPx ?? request.Price, qty, maker: false, Now, emit: !silent);
            }

            if (silent)
            {
                LoseNextAck = false;
                return Task.FromException<VenueOrder>(new VenueException(VenueErrorKind.Unknown, "timeout: the answer to " + request.ClientOrderId + " was lost"));
            }

            return Task.FromResult(_orders[order.ClientOrderId]);
        }
    }

    public Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Canceled.Add(clientOrderId);
            if (!_orders.TryGetValue(clientOrderId, out var order) || !order.IsOpen)
            {
                return Task.FromResult<VenueOrder?>(null);
            }

            var canceled = order with { Status = VenueOrderStatus.Canceled, UpdateMs = Now };
            _orders[clientOrderId] = canceled;
            _events.Writer.TryWrite(new VenueOrderUpdate(canceled));
            return Task.FromResult<VenueOrder?>(canceled);
        }
    }

    public Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Queried.Add(clientOrderId);
            return Task.FromResult(_orders.GetValueOrDefault(clientOrderId));
        }
    }

    public Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<VenueOrder>>(_orders.Values.Where(o => o.IsOpen && o.InstId == instId).ToList());
        }
    }

    public Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new VenuePosition(instId, Position, Position == 0 ? 0 : _entryPx, 0m, Now));
        }
    }

    public Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<VenueFill>>(_fills.Where(f => f.InstId == instId && f.Ts >= sinceMs).ToList());
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private VenueFill FillLocked(VenueOrder order, decimal px, decimal qty, bool maker, long ts, bool emit)
    {
        var filled = order.FilledQuantity + qty;
        var updated = order with
        {
            FilledQuantity = filled,
            AveragePrice = ((order.AveragePrice * order.FilledQuantity) + (px * qty)) / filled,
            Status = filled >= order.Quantity ? VenueOrderStatus.Filled : VenueOrderStatus.PartiallyFilled,
            UpdateMs = ts,
        };
        _orders[order.ClientOrderId] = updated;
        var fill = new VenueFill(order.InstId, "t" + (++_seq).ToString(CultureInfo.InvariantCulture), order.ClientOrderId, order.VenueOrderId,
            order.Side, px, qty, maker, qty * px * (maker ? makerFeeRate : takerFeeRate), feeCcy, ts);
        _fills.Add(fill);
        var signed = order.Side == VenueSide.Buy ? qty : -qty;
        _entryPx = Position == 0 || Math.Sign(Position) == Math.Sign(signed)
            ? ((_entryPx * Math.Abs(Position)) + (px * qty)) / Math.Abs(Position + signed)
            : _entryPx;
        Position += signed;
        if (emit)
        {
            _events.Writer.TryWrite(new VenueFillUpdate(fill));
            _events.Writer.TryWrite(new VenueOrderUpdate(updated));
            _events.Writer.TryWrite(new VenuePositionUpdate(new VenuePosition(order.InstId, Position, _entryPx, 0m, ts)));
        }

        return fill;
    }
}
