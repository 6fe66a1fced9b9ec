namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// Where the Binance USD-M order venue trades: signed REST and the user data stream's WebSocket base (the venue appends the
/// stream path and listen key). <see cref="Testnet"/> marks the testnet account in banners and status, nothing else; the
/// endpoints decide where orders go. Defaults are production (exporter/Binance/PROTOCOL.md "Private API").
/// </summary>
public sealed record BinanceVenueOptions
{
    public static readonly Uri ProductionRest = new("https://fapi.binance.com");
    public static readonly Uri ProductionUserStream = new("wss://fstream.binance.com");
    public static readonly Uri TestnetRest = new("https://testnet.binancefuture.com");
    public static readonly Uri TestnetUserStream = new("wss://fstream.binancefuture.com");

    public Uri Rest { get; init; } = ProductionRest;

    public Uri UserStream { get; init; } = ProductionUserStream;

    /// <summary>
    /// The user data stream's path under <see cref="UserStream"/>: <c>/private/ws/</c>, the listen key appended (Binance's routed
    /// private endpoint; the legacy <c>/ws/</c> was retired on 2026-04-23, PROTOCOL.md "Private API"). A path with
    /// <c>{listenKey}</c> puts the key there instead (the query form <c>/private/ws?listenKey={listenKey}&amp;events=...</c>).
    /// A setting so an endpoint that differs (a testnet) needs no code change.
    /// </summary>
    public string UserStreamPath { get; init; } = BinanceUserDataClient.DefaultPath;

    public bool Testnet { get; init; }

    /// <summary>recvWindow of every signed request (ms; Binance's default 5000, at most 60000).</summary>
    public long RecvWindowMs { get; init; } = 5000;

    /// <summary>How often the listen key is kept alive (Binance: valid 60 minutes after the last keep-alive).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>First wait before reconnecting a dropped user stream (doubling, with jitter, up to a minute).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Trades per GET /fapi/v1/userTrades page when fills are fetched (1..1000; Binance's maximum 1000).</summary>
    public int FillsPageSize { get; init; } = BinanceOrderClient.MaxUserTradesLimit;

    /// <summary>The bound of each REST request when the venue makes its own HttpClient.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
