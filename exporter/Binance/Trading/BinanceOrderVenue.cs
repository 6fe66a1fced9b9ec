using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Pipeline.Exporter.Trading;
using Serilog;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// Binance USD-M futures behind <see cref="IOrderVenue"/> (PROTOCOL.md "Private API"): signed REST through
/// <see cref="BinanceOrderClient"/> (orders rounded by <see cref="BinanceSymbolFilters"/>), the user data stream through
/// <see cref="BinanceUserStream"/> (a background loop into <see cref="Events"/>, listen-key keep-alive, reconnects reported
/// as <see cref="VenueStreamGap"/>). Quantities are the base coin (Binance's own unit for USD-M).
/// <para>Client order ids of fills: userTrades names only the exchange order id, so the venue remembers every order id →
/// client id pair it sees (acknowledgements, queries, open orders, stream events) and asks GET /fapi/v1/order?orderId= for
/// one it has not seen (an order placed before a restart), once. The memory is bounded (<see cref="MaxRememberedOrders"/>):
/// when full it starts afresh, and an id forgotten so is asked for again, once.</para>
/// <para>One-way position mode is assumed (positionSide BOTH), as the executor trades one net position per instrument.</para>
/// </summary>
public sealed class BinanceOrderVenue : IOrderVenue
{
    private static readonly ILogger Log = Serilog.Log.ForContext<BinanceOrderVenue>();
    private static readonly TimeSpan FillWindow = TimeSpan.FromDays(7);
    private static readonly TimeSpan FillHistory = TimeSpan.FromDays(180);


    private readonly BinanceVenueOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly BinanceOrderClient _client;
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentDictionary<string, BinanceSymbolFilters> _filters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _clientIds = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private BinanceUserStream? _stream;
    private int _disposed;

    public BinanceOrderVenue(BinanceVenueOptions options, ApiCredentials credentials, TimeProvider time, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        if (credentials.Venue != TradingVenues.Binance)
        {
            throw new ArgumentException($"the Binance venue needs binance credentials, not {credentials.Venue}", nameof(credentials));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.FillsPageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FillsPageSize, BinanceOrderClient.MaxUserTradesLimit);
        _options = options;
        _time = time;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = options.RequestTimeout };
        _client = new BinanceOrderClient(_http, options.Rest, credentials, new BinanceServerClock(time), options.RecvWindowMs);
    }

    public string Venue => TradingVenues.Binance;

    public ChannelReader<VenueEvent> Events => _events.Reader;

    /// <summary>Listen-key keep-alives sent so far (PUT /fapi/v1/listenKey that succeeded).</summary>
    public long KeepAlivesSent => _stream?.KeepAlivesSent ?? 0;

    /// <summary>Order id → client id pairs kept before the memory starts afresh (a live process runs for months).</summary>
    internal int MaxRememberedOrders { get; init; } = 50_000;

    /// <summary>Order id → client id pairs held now.</summary>
    internal int RememberedOrders => _clientIds.Count;

    /// <summary>User-stream reconnects so far (each wrote a <see cref="VenueStreamGap"/>).</summary>
    public long Reconnects => _stream?.Reconnects ?? 0;

    /// <summary>
    /// Server time, the filters of <paramref name="instIds"/>, a signed request that proves the key and secret, the listen
    /// key and the user data stream. A bad key is <see cref="VenueErrorKind.Auth"/> at the first request that shows it,
    /// never retried. Called again, it adds filters for new instruments; the stream is opened once.
    /// </summary>
    public async Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_client.Clock.IsSynchronised)
            {
                await GuardAsync(BinanceServerClock.TimePath, () => _client.SyncTimeAsync(cancellationToken)).ConfigureAwait(false);
            }

            await LoadFiltersAsync(instIds, cancellationToken).ConfigureAwait(false);
            if (_stream is not null)
            {
                return;
            }

            // A signed request first: an unknown key (-2015), a wrong secret (-1022) or a key without futures permission fails here, once.
            await CallAsync(() => _client.PositionRiskAsync(null, cancellationToken)).ConfigureAwait(false);
            var stream = new BinanceUserStream(_client, _options, _time, _events.Writer, RememberId);
            try
            {
                await stream.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BinanceApiException or WebSocketException)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw e is BinanceApiException b ? BinanceVenueMapping.Map(b)
                    : new VenueException(VenueErrorKind.Unavailable, $"binance user data stream at {_options.UserStream}: could not connect ({e.Message})", innerException: e);
            }

            _stream = stream;
            Log.Information("Binance order venue connected: REST {Rest}, user stream {Stream}{Path}, {Count} instruments, server offset {OffsetMs} ms",
                _options.Rest, _options.UserStream, _options.UserStreamPath, _filters.Count, _client.Clock.OffsetMs);
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>
    /// PostOnly → LIMIT GTX, Market → MARKET (answer RESULT), Ioc → LIMIT IOC; reduce-only as asked; the quantity rounded down
    /// to the step, a limit price rounded away from crossing; the client order id as newClientOrderId.
    /// </summary>
    public async Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = await FiltersAsync(request.InstId, cancellationToken).ConfigureAwait(false);
        var side = request.Side == VenueSide.Buy ? BinanceOrderSide.Buy : BinanceOrderSide.Sell;
        try
        {
            var order = await (request.Type switch
            {
                VenueOrderType.PostOnly => _client.PlacePostOnlyAsync(filters, side, request.Quantity, request.Price, request.ClientOrderId, request.ReduceOnly, cancellationToken),
                VenueOrderType.Market => _client.PlaceMarketAsync(filters, side, request.Quantity, request.Price, request.ClientOrderId, request.ReduceOnly, cancellationToken),
                _ => _client.PlaceIocAsync(filters, side, request.Quantity, request.Price, request.ClientOrderId, request.ReduceOnly, cancellationToken),
            }).ConfigureAwait(false);
            return Remember(order);
        }
        catch (BinanceFilterException e)
        {
            throw new VenueException(VenueErrorKind.Rejected, $"binance {request.ClientOrderId} not sent: {e.Message}", "filter", innerException: e);
        }
        catch (BinanceApiException e)
        {
            throw BinanceVenueMapping.Map(e, request.ClientOrderId);
        }
    }

    public async Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        try
        {
            return Remember(await _client.CancelAsync(instId, clientOrderId, cancellationToken).ConfigureAwait(false));
        }
        catch (BinanceApiException e) when (e.Code == -2011)
        {
            return null; // unknown, or no longer open (filled, canceled, expired)
        }
        catch (BinanceApiException e)
        {
            throw BinanceVenueMapping.Map(e, clientOrderId);
        }
    }

    public async Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        var order = await CallAsync(() => _client.QueryAsync(instId, clientOrderId, cancellationToken), clientOrderId).ConfigureAwait(false);
        return order is null ? null : Remember(order);
    }

    public async Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        var orders = await CallAsync(() => _client.OpenOrdersAsync(instId, cancellationToken)).ConfigureAwait(false);
        return [.. orders.Select(Remember)];
    }

    /// <summary>GET /fapi/v3/positionRisk of the symbol (v3 lists only what is held: no row is flat).</summary>
    public async Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        var rows = await CallAsync(() => _client.PositionRiskAsync(instId, cancellationToken)).ConfigureAwait(false);
        var mine = rows.Where(r => r.Symbol == instId).ToList();
        if (mine.Count == 0 || mine.All(r => r.PositionAmt == 0))
        {
            return new VenuePosition(instId, 0, 0, 0, _client.Clock.NowMs());
        }

        var row = mine.First(r => r.PositionAmt != 0);
        return new VenuePosition(instId, row.PositionAmt, row.EntryPrice, row.UnrealizedProfit, row.UpdateTimeMs);
    }

    /// <summary>
    /// GET /fapi/v1/userTrades from <paramref name="sinceMs"/>: 7-day windows (Binance's widest) until the first page with a
    /// trade, then pages by fromId (the last id + 1) until a short page, so every later fill is read whatever its window.
    /// At most 180 days back.
    /// </summary>
    public async Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        if (!_client.Clock.IsSynchronised)
        {
            await GuardAsync(BinanceServerClock.TimePath, () => _client.SyncTimeAsync(cancellationToken)).ConfigureAwait(false);
        }

        var limit = _options.FillsPageSize;
        var now = _client.Clock.NowMs();
        var window = (long)FillWindow.TotalMilliseconds;
        var trades = new List<BinanceUserTrade>();
        IReadOnlyList<BinanceUserTrade> page = [];
        for (var start = Math.Max(sinceMs, now - (long)FillHistory.TotalMilliseconds); start <= now && page.Count == 0; start += window)
        {
            long? end = start + window - 1 < now ? start + window - 1 : null; // the last window is open-ended: no clock race at its end
            var from = start;
            page = await CallAsync(() => _client.UserTradesAsync(instId, null, from, end, limit, cancellationToken)).ConfigureAwait(false);
        }

        // After the time-window page, pages by fromId: a short window page may still be followed by fills in later windows.
        for (var byId = false; page.Count > 0; byId = true)
        {
            trades.AddRange(page);
            if (byId && page.Count < limit)
            {
                break;
            }

            var next = page[^1].Id + 1;
            page = await CallAsync(() => _client.UserTradesAsync(instId, next, null, null, limit, cancellationToken)).ConfigureAwait(false);
        }

        var fills = new List<VenueFill>(trades.Count);
        foreach (var t in trades.Where(t => t.TimeMs >= sinceMs).DistinctBy(t => t.Id).OrderBy(t => t.Id))
        {
            var clientId = await ClientIdOfAsync(instId, t.OrderId, cancellationToken).ConfigureAwait(false);
            fills.Add(new VenueFill(instId, t.Id.ToString(CultureInfo.InvariantCulture), clientId, t.OrderId.ToString(CultureInfo.InvariantCulture),
                BinanceVenueMapping.SideOf(t.Side), t.Price, t.Qty, t.Maker, t.Commission, t.CommissionAsset, t.TimeMs));
        }

        return fills;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Interlocked.Exchange(ref _stream, null) is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _events.Writer.TryComplete();
        _connectGate.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string? clientOrderId = null)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (BinanceApiException e)
        {
            throw BinanceVenueMapping.Map(e, clientOrderId);
        }
    }

    /// <summary>An unsigned request that may fail below the client (server time): a failure is Unavailable.</summary>
    private static async Task GuardAsync(string request, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException or JsonException)
        {
            throw new VenueException(VenueErrorKind.Unavailable, $"binance GET {request}: {e.Message.ReplaceLineEndings(" ")}", innerException: e);
        }
    }

    private VenueOrder Remember(BinanceOrder order)
    {
        RememberId(order.OrderId, order.ClientOrderId);
        return BinanceVenueMapping.ToVenue(order);
    }

    private void RememberId(long orderId, string clientId)
    {
        // Starting afresh costs one GET /fapi/v1/order per forgotten id a later FillsAsync meets; never unbounded growth.
        if (_clientIds.Count >= MaxRememberedOrders && !_clientIds.ContainsKey(orderId))
        {
            _clientIds.Clear();
        }

        _clientIds[orderId] = clientId;
    }

    private async Task<string> ClientIdOfAsync(string instId, long orderId, CancellationToken token)
    {
        if (_clientIds.TryGetValue(orderId, out var known))
        {
            return known;
        }

        var order = await CallAsync(() => _client.QueryByOrderIdAsync(instId, orderId, token)).ConfigureAwait(false);
        return order is null ? "" : Remember(order).ClientOrderId;
    }

    private async Task<BinanceSymbolFilters> FiltersAsync(string instId, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        if (!_filters.TryGetValue(instId, out var filters))
        {
            await LoadFiltersAsync([instId], token).ConfigureAwait(false);
            filters = _filters[instId];
        }

        return filters;
    }

    private async Task LoadFiltersAsync(IReadOnlyCollection<string> instIds, CancellationToken token)
    {
        var missing = instIds.Where(i => !_filters.ContainsKey(i)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        byte[] info = [];
        await GuardAsync(BinanceInstruments.Path, async () => info = await _http.GetByteArrayAsync(new Uri(_options.Rest, BinanceInstruments.Path), token).ConfigureAwait(false))
            .ConfigureAwait(false);
        foreach (var instId in missing)
        {
            try
            {
                _filters[instId] = BinanceSymbolFilters.Parse(info, instId);
            }
            catch (InvalidDataException e)
            {
                throw new VenueException(VenueErrorKind.Rejected, $"binance: cannot trade {instId}: {e.Message}", innerException: e);
            }
        }
    }}
