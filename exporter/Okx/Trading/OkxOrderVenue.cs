using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Pipeline.Exporter.Trading;
using Serilog;

namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// OKX swaps as an <see cref="IOrderVenue"/>: <see cref="OkxOrderClient"/> for signed REST and <see cref="OkxPrivateStream"/>
/// for the <c>orders</c> and <c>positions</c> pushes. Quantities cross the interface in the base coin and go to OKX in
/// contracts (÷ ctVal, rounded down to lotSz; inverse swaps refused); a post-only price is rounded away from crossing,
/// an IOC limit towards the book. OKX accepts a post-only that would take and cancels it (cancelSource 31): reported as
/// <see cref="VenueOrderStatus.Canceled"/> with that reason. Fees come as OKX signs them negated (a charge is positive).
/// </summary>
public sealed class OkxOrderVenue : IOrderVenue, IOkxPushSink
{
    /// <summary>trade/fills covers the last 3 days; older fills come from trade/fills-history (3 months). An hour of margin.</summary>
    private static readonly long RecentFillsMs = (long)(TimeSpan.FromDays(3) - TimeSpan.FromHours(1)).TotalMilliseconds;

    private readonly ILogger _log = Log.ForContext<OkxOrderVenue>();
    private readonly OkxVenueOptions _options;
    private readonly ApiCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OkxOrderClient _client;
    private readonly ConcurrentDictionary<string, OkxContract> _contracts = new(StringComparer.Ordinal);
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private OkxPrivateStream? _stream;
    private int _synced;
    private int _disposed;

    /// <param name="http">Shared by the caller (its timeout bounds each request), or null for one owned by the venue (10 s timeout).</param>
    public OkxOrderVenue(OkxVenueOptions options, ApiCredentials credentials, TimeProvider time, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        if (options.TdMode is not ("cross" or "isolated"))
        {
            throw new ArgumentException($"okx tdMode must be cross or isolated, not '{options.TdMode}'", nameof(options));
        }

        _options = options;
        _credentials = credentials;
        _time = time;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _client = new OkxOrderClient(_http, options.Rest, credentials, options.Demo, time);
    }

    public string Venue => TradingVenues.Okx;

    public ChannelReader<VenueEvent> Events => _events.Reader;

    internal OkxOrderClient Client => _client;

    internal OkxPrivateStream? Stream => _stream;

    /// <summary>trade/fills page size (OKX's maximum, 100); smaller in tests to exercise paging.</summary>
    internal int FillsPageSize { get; init; } = OkxOrderClient.MaxFillsPage;

    public async Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.SyncTimeAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _synced, 1);
            foreach (var instId in instIds)
            {
                await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
            }

            // One signed request before anything else, so a bad key, secret or passphrase fails here with one line.
            await _client.PositionsAsync(instIds.FirstOrDefault() ?? "", cancellationToken).ConfigureAwait(false);
            if (_stream is not null)
            {
                _stream.Add(instIds);
            }
            else
            {
                var stream = new OkxPrivateStream(_options.PrivateWs, _client.Signer, _client.NowMs, _client.SyncTimeAsync, _time, _options.ReconnectDelay, this);
                await stream.StartAsync(instIds, cancellationToken).ConfigureAwait(false);
                _stream = stream;
            }

            _log.Information("OKX order venue ready: REST {Rest}{Demo}, private WebSocket {PrivateWs}, {Key}, tdMode {TdMode}, instruments {Instruments}, clock offset {OffsetMs} ms",
                _options.Rest, _options.Demo ? " (demo trading)" : "", _options.PrivateWs, _credentials.ToString(), _options.TdMode, instIds, _client.OffsetMs);
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contract = await ContractAsync(request.InstId, cancellationToken).ConfigureAwait(false);
        var sz = contract.Contracts(request.Quantity);
        if (sz <= 0 || sz < contract.MinSz)
        {
            throw new VenueException(VenueErrorKind.Rejected,
                $"okx {request.InstId}: {request.Quantity.ToString(CultureInfo.InvariantCulture)} base coin is {sz.ToString(CultureInfo.InvariantCulture)} contracts " +
                $"(ctVal {contract.CtVal.ToString(CultureInfo.InvariantCulture)}, lotSz {contract.LotSz.ToString(CultureInfo.InvariantCulture)}), below minSz {contract.MinSz.ToString(CultureInfo.InvariantCulture)}; not sent");
        }

        decimal? px = request.Type switch
        {
            VenueOrderType.PostOnly => contract.RoundPrice(request.Price, request.Side, maker: true),
            VenueOrderType.Ioc => contract.RoundPrice(request.Price, request.Side, maker: false),
            _ => null,
        };
        if (px is <= 0)
        {
            throw new VenueException(VenueErrorKind.Rejected, $"okx {request.InstId}: price {request.Price.ToString(CultureInfo.InvariantCulture)} is not a positive price on the tick; not sent");
        }

        var ordType = request.Type switch
        {
            VenueOrderType.PostOnly => "post_only",
            VenueOrderType.Market => "market",
            _ => "ioc",
        };
        var (ordId, ts) = await _client.PlaceAsync(request.InstId, _options.TdMode, request.Side == VenueSide.Buy ? "buy" : "sell", ordType, sz, px,
            request.ClientOrderId, request.ReduceOnly, cancellationToken).ConfigureAwait(false);

        // The acknowledgement says only "placed": one query tells a market fill or a post-only canceled by the engine at once.
        try
        {
            if (await _client.QueryAsync(request.InstId, request.ClientOrderId, cancellationToken).ConfigureAwait(false) is { } now)
            {
                return ToVenue(now, contract);
            }
        }
        catch (VenueException e) when (e.Kind != VenueErrorKind.Auth)
        {
            _log.Warning("OKX order {ClientOrderId} placed, but the follow-up query failed ({Error}); the stream will tell its state", request.ClientOrderId, e.Message);
        }

        return new VenueOrder(request.InstId, request.ClientOrderId, ordId, request.Side, request.Type, px ?? 0, contract.Base(sz), 0, 0,
            VenueOrderStatus.New, ts != 0 ? ts : _client.NowMs());
    }

    public async Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        var contract = await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
        if (!await _client.CancelAsync(instId, clientOrderId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var order = await _client.QueryAsync(instId, clientOrderId, cancellationToken).ConfigureAwait(false);
        return order is null ? null : ToVenue(order, contract);
    }

    public async Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken)
    {
        var contract = await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
        var order = await _client.QueryAsync(instId, clientOrderId, cancellationToken).ConfigureAwait(false);
        return order is null ? null : ToVenue(order, contract);
    }

    public async Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken)
    {
        var contract = await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
        var orders = await _client.PendingAsync(instId, cancellationToken).ConfigureAwait(false);
        return [.. orders.Where(o => o.InstId == instId).Select(o => ToVenue(o, contract))];
    }

    public async Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken)
    {
        var contract = await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
        var rows = (await _client.PositionsAsync(instId, cancellationToken).ConfigureAwait(false)).Where(p => p.InstId == instId).ToList();
        var contracts = rows.Sum(p => p.SignedPos);
        var entry = contracts == 0 ? 0 : rows.Where(p => p.SignedPos != 0).Sum(p => p.AvgPx * Math.Abs(p.SignedPos)) / rows.Sum(p => Math.Abs(p.SignedPos));
        return new VenuePosition(instId, contract.Base(contracts), entry, rows.Sum(p => p.Upl), rows.Count > 0 ? rows.Max(p => p.UTime) : _client.NowMs());
    }

    public async Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken)
    {
        var contract = await ContractAsync(instId, cancellationToken).ConfigureAwait(false);
        var history = sinceMs < _client.NowMs() - RecentFillsMs;
        var fills = new Dictionary<string, OkxFill>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            // begin one ms early: whether OKX's begin is inclusive is not documented; the filter below is.
            var page = await _client.FillsPageAsync(instId, Math.Max(0, sinceMs - 1), after, FillsPageSize, history, cancellationToken).ConfigureAwait(false);
            foreach (var f in page.Where(f => f.InstId == instId && f.Ts >= sinceMs))
            {
                fills.TryAdd(f.TradeId, f);
            }

            // Newest first: the next page is older than the last row's billId.
            var cursor = page.Count > 0 ? (page[^1].BillId.Length > 0 ? page[^1].BillId : page[^1].TradeId) : null;
            if (page.Count < FillsPageSize || cursor is null || cursor == after)
            {
                break;
            }

            after = cursor;
        }

        return [.. fills.Values.OrderBy(f => f.Ts).ThenBy(f => f.TradeId.Length).ThenBy(f => f.TradeId, StringComparer.Ordinal).Select(f => ToVenue(f, contract))];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // a second dispose (owner and host both) must not touch the stream's disposed token source
        }

        if (Interlocked.Exchange(ref _stream, null) is { } stream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _events.Writer.TryComplete();
        _connecting.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    void IOkxPushSink.OnOrder(OkxOrder order)
    {
        if (!_contracts.TryGetValue(order.InstId, out var contract))
        {
            return; // an instrument this venue does not trade (OKX pushes per subscription; the simulator account-wide)
        }

        _events.Writer.TryWrite(new VenueOrderUpdate(ToVenue(order, contract)));
        if (order.Fill is { } fill)
        {
            _events.Writer.TryWrite(new VenueFillUpdate(ToVenue(fill with { ClOrdId = order.ClOrdId, OrdId = order.OrdId }, contract)));
        }
    }

    void IOkxPushSink.OnPosition(OkxPositionRow position)
    {
        if (_contracts.TryGetValue(position.InstId, out var contract))
        {
            _events.Writer.TryWrite(new VenuePositionUpdate(new VenuePosition(position.InstId, contract.Base(position.SignedPos),
                position.SignedPos == 0 ? 0 : position.AvgPx, position.Upl, position.UTime)));
        }
    }

    void IOkxPushSink.OnGap(string reason, long sinceMs) => _events.Writer.TryWrite(new VenueStreamGap(reason, sinceMs));

    /// <summary>OKX's cancelSource in words (PROTOCOL.md "Private API"); unknown codes are named by number.</summary>
    internal static string? CancelReason(string cancelSource) => cancelSource switch
    {
        "" => null,
        "0" => "canceled by the system (okx cancelSource 0)",
        "1" => "canceled by the user (okx cancelSource 1)",
        "2" => "canceled: reduce-only would increase the position (okx cancelSource 2)",
        "3" => "canceled by risk controls: insufficient margin (okx cancelSource 3)",
        "13" => "FOK not fully filled (okx cancelSource 13)",
        "14" => "IOC/market remainder canceled (okx cancelSource 14)",
        "15" => "price outside the allowed range (okx cancelSource 15)",
        "31" => "post-only would take liquidity (okx cancelSource 31)",
        "32" => "self-trade prevention (okx cancelSource 32)",
        _ => $"canceled by okx (cancelSource {cancelSource})",
    };

    private async Task<OkxContract> ContractAsync(string instId, CancellationToken token)
    {
        ArgumentException.ThrowIfNullOrEmpty(instId);
        if (_contracts.TryGetValue(instId, out var known))
        {
            return known;
        }

        if (Interlocked.Exchange(ref _synced, 1) == 0)
        {
            await _client.SyncTimeAsync(token).ConfigureAwait(false);
        }

        var contract = await _client.InstrumentAsync(instId, token).ConfigureAwait(false);
        contract.EnsureLinear();
        return _contracts.GetOrAdd(instId, contract);
    }

    private static VenueOrder ToVenue(OkxOrder o, OkxContract contract)
    {
        var type = o.OrdType switch
        {
            "post_only" or "limit" => VenueOrderType.PostOnly,
            "market" or "optimal_limit_ioc" => VenueOrderType.Market,
            _ => VenueOrderType.Ioc,
        };
        var status = o.State switch
        {
            "live" => VenueOrderStatus.New,
            "partially_filled" => VenueOrderStatus.PartiallyFilled,
            "filled" => VenueOrderStatus.Filled,
            // The unfilled rest of a taker order expires (as Binance says); a resting order is canceled.
            _ when o.CancelSource == "14" || (type != VenueOrderType.PostOnly && o.CancelSource is not ("1" or "31")) => VenueOrderStatus.Expired,
            _ => VenueOrderStatus.Canceled,
        };
        return new VenueOrder(o.InstId, o.ClOrdId, o.OrdId, o.Side == "buy" ? VenueSide.Buy : VenueSide.Sell, type, o.Px, contract.Base(o.Sz),
            contract.Base(o.AccFillSz), o.AccFillSz == 0 ? 0 : o.AvgPx, status, o.UTime,
            status is VenueOrderStatus.Canceled or VenueOrderStatus.Expired ? CancelReason(o.CancelSource) : null);
    }

    private static VenueFill ToVenue(OkxFill f, OkxContract contract) => new(
        f.InstId, f.TradeId, f.ClOrdId, f.OrdId, f.Side == "buy" ? VenueSide.Buy : VenueSide.Sell, f.FillPx, contract.Base(f.FillSz),
        f.ExecType == "M", -f.Fee, f.FeeCcy, f.Ts);
}
