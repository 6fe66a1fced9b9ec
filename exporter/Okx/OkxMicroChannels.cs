using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// The OKX v5 WebSocket channels behind each microstructure kind and the endpoint each lives on (PROTOCOL.md,
/// "Microstructure"): every one of them is on <c>/ws/v5/public</c>; only <c>trades-all</c> (trades) is on /business.
/// </summary>
public static class OkxMicroChannels
{
    public const string BboTbt = "bbo-tbt";
    public const string Books = "books";
    public const string LiquidationOrders = "liquidation-orders";
    public const string MarkPrice = "mark-price";
    public const string FundingRate = "funding-rate";
    public const string OpenInterest = "open-interest";

    /// <summary>Subscribed by index (<see cref="OkxIndexTickers.IndexOf"/>), not by swap.</summary>
    public const string IndexTickers = OkxIndexTickers.Channel;

    /// <summary>liquidation-orders is subscribed by instrument type, not instrument; the recorder filters the instruments.</summary>
    public const string LiquidationInstType = "SWAP";

    /// <summary>The channels that make up <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> For(MicroKind kind) => kind switch
    {
        MicroKind.Quotes => [BboTbt],
        MicroKind.Book => [Books],
        MicroKind.Liquidations => [LiquidationOrders],
        MicroKind.Derivatives => [MarkPrice, FundingRate, OpenInterest, IndexTickers],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
    };

    /// <summary>The endpoint <paramref name="channel"/> is served on (a channel on the wrong one gets error 60018).</summary>
    public static OkxWsEndpoint EndpointOf(string channel) => channel switch
    {
        BboTbt or Books or LiquidationOrders or MarkPrice or FundingRate or OpenInterest or IndexTickers or "trades" => OkxWsEndpoint.Public,
        "trades-all" => OkxWsEndpoint.Business,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a channel the OKX module subscribes to"),
    };

    /// <summary>The URL the recorder connects to for <paramref name="kind"/>: the configured public endpoint (or the test override).</summary>
    public static Uri UrlFor(MicroKind kind, ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = For(kind).Select(EndpointOf).Distinct().Single();
        return options.WsUrlOverride ?? (endpoint == OkxWsEndpoint.Public ? options.OkxWsPublic : options.OkxWsBusiness);
    }
}
