using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Venues;

namespace Pipeline.Exporter;

/// <summary>
/// What one exporter records and where from. Defaults are the real production endpoints
/// (PROTOCOLS.md 1.1, 2.1, 2.4); tests and the simulator override the URLs.
/// </summary>
public sealed record ExporterOptions
{
    public const string OkxWsPublicDefault = "wss://ws.okx.com:8443/ws/v5/public";
    public const string OkxWsBusinessDefault = "wss://ws.okx.com:8443/ws/v5/business";
    public const string OkxRestDefault = OkxVenue.RestDefault;
    public const string BinanceWsDefault = "wss://fstream.binance.com";
    public const string BinanceRestDefault = BinanceVenue.RestDefault;

    /// <summary>okx or binance.</summary>
    public required string Exchange
    {
        get => _exchange;
        init
        {
            _exchange = value;
            _venue = VenueRegistry.Find(value);
        }
    }

    // Resolved once per Exchange (with-copies re-resolve): the silence bound is read per frame on the receive path.
    private readonly string _exchange = string.Empty;
    private readonly IVenue? _venue;

    /// <summary>Exchange instrument ids (BTC-USDT-SWAP, BTCUSDT).</summary>
    public required IReadOnlyList<string> InstIds { get; init; }

    /// <summary>What to record: trades and/or microstructure kinds (<c>--data</c>, <c>exchanges.X.data</c>); default trades only.</summary>
    public ExportData Data { get; init; } = ExportData.Default;

    /// <summary>Bounds of the microstructure recorder (buffer, snapshot timeout, dedup window).</summary>
    public MicroRecorderOptions Micro { get; init; } = new();

    /// <summary>OKX only: trades-all (per fill, /business, default) or trades (aggregated, /public).</summary>
    public string Channel { get; init; } = "trades-all";

    public Uri OkxWsPublic { get; init; } = new(OkxWsPublicDefault);
    public Uri OkxWsBusiness { get; init; } = new(OkxWsBusinessDefault);
    public Uri OkxRest { get; init; } = new(OkxRestDefault);

    /// <summary>Binance WebSocket base: trades, liquidations and mark price on {base}/market/stream?streams=..., quotes and book on {base}/public/stream?streams=...</summary>
    public Uri BinanceWs { get; init; } = new(BinanceWsDefault);
    public Uri BinanceRest { get; init; } = new(BinanceRestDefault);

    /// <summary>
    /// Overrides the WebSocket URL the exporter connects to (OKX: instead of the public/business choice
    /// by channel). Used to show what a wrong URL does; normally null.
    /// </summary>
    public Uri? WsUrlOverride { get; init; }

    /// <summary>No trade data for this long on a live connection is reported, once per silence (on Binance
    /// before any trade: the wrong-host alarm, a legacy URL ACKs and then stays silent). Never a reason to
    /// reconnect: liveness comes from the pings. Null = exchange default.</summary>
    public TimeSpan? DataSilenceTimeout { get; init; }

    /// <summary>Keepalive interval: OKX text ping (PROTOCOLS 1.5: N &lt; 30 s), Binance LIST_SUBSCRIPTIONS.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A ping without its answer (and nothing else received) for this long means a dead link: reconnect.</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a subscription may stay unacknowledged before the connection is given up.</summary>
    public TimeSpan SubscribeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>After our close frame, how long to wait for the server's before dropping the socket.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an id hole may stay open (reordered neighbours) before REST fills it.</summary>
    public TimeSpan ReorderWindow { get; init; } = TimeSpan.FromMilliseconds(1500);

    public TimeSpan MetadataRefresh { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How far a trade's event time may lie from its receive time (live) or in the future (REST) before the
    /// trade is quarantined instead of written: a wrong ts must never create a day file or move the watermark.
    /// </summary>
    public TimeSpan MaxEventTimeSkew { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Binance closes a connection at 24 h; reconnect (make before break) before that.</summary>
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromHours(23.5);

    /// <summary>Minimum spacing of REST history requests (null: the venue's default, OKX 110 ms = 20 per 2 s, Binance 500 ms = weight 20 of 2400/min).</summary>
    public TimeSpan? RestInterval { get; init; }

    public TimeSpan CounterLogInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often (wall time) each instrument's state, with its watermark, is written while trades arrive. The calculators
    /// take a minute as final from that watermark; a demo that runs hours of market per minute writes it more often.
    /// </summary>
    public TimeSpan StateInterval { get; init; } = DefaultStateInterval;

    public static readonly TimeSpan DefaultStateInterval = TimeSpan.FromSeconds(1);

    /// <summary>Bounded queue between the receive loop and each instrument's writer.</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>True when REST metadata must be fetched (false: start from the meta snapshot alone).</summary>
    public bool RequireRestMetadata { get; init; }

    /// <summary>The silence bound: <see cref="DataSilenceTimeout"/> or the venue's default.</summary>
    public TimeSpan EffectiveSilenceTimeout => DataSilenceTimeout ?? _venue?.Defaults.SilenceTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Checks the combination; throws ArgumentException with the problem.</summary>
    public void Validate()
    {
        var venue = VenueRegistry.For(Exchange);

        if (InstIds.Count == 0)
        {
            throw new ArgumentException("no instruments given (--inst BTC-USDT-SWAP,...)");
        }

        if (Channel is not ("trades-all" or "trades"))
        {
            throw new ArgumentException($"channel '{Channel}' is not supported (trades-all|trades)");
        }

        if (venue.Validate(this) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        var unsupported = Data.Micro.Where(k => !venue.SupportedMicroKinds.Contains(k)).Select(MicroKinds.Name).ToList();
        if (unsupported.Count > 0)
        {
            var supported = venue.SupportedMicroKinds.Count == 0 ? "trades only" : "trades," + string.Join(',', MicroKinds.All.Where(venue.SupportedMicroKinds.Contains).Select(MicroKinds.Name));
            throw new ArgumentException($"--data {string.Join(',', unsupported)}: not recorded from {Exchange} ({supported})");
        }

        if (MaxEventTimeSkew <= TimeSpan.Zero)
        {
            throw new ArgumentException("the event-time bound (max_event_time_skew) must be positive");
        }

        foreach (var id in InstIds)
        {
            if (!Pipeline.Vault.Layout.VaultNames.IsInstId(id))
            {
                throw new ArgumentException($"instrument id '{id}' is not valid (expected e.g. BTC-USDT-SWAP or BTCUSDT)");
            }
        }
    }
}
