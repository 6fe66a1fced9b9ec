using Pipeline.Vault.Micro;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;

namespace Pipeline.Exporter.Binance;

/// <summary>Binance USD-M (PROTOCOL.md next to this file): aggTrade on /market, aggTrades REST, data.binance.vision archives.</summary>
public sealed class BinanceVenue : IVenue
{
    public const string Name = "binance";

    public const string RestDefault = "https://fapi.binance.com";

    public string Exchange => Name;

    public VenueDefaults Defaults { get; } = new()
    {
        RestBase = new Uri(RestDefault),
        // aggTrades weighs 20 of 2400 per minute per IP (PROTOCOL.md 2.4): 500 ms is at most the whole budget.
        RestInterval = TimeSpan.FromMilliseconds(500),
        SilenceTimeout = TimeSpan.FromSeconds(30),
        ArchiveDelayHint = " (Binance archives appear the next day)",
    };

    public string? Validate(ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Channel != "trades-all" ? "--channel applies to OKX only (Binance records aggTrade)" : null;
    }

    public Uri RestBase(ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BinanceRest;
    }

    public Uri InstrumentsEndpoint(Uri restBase) => new(restBase, BinanceInstruments.Path);

    public (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) ParseInstruments(ReadOnlySpan<byte> json) => BinanceInstruments.Parse(json);

    /// <summary>Binance rate limits come as HTTP 429/418 with Retry-After, never inside a 200 body.</summary>
    public string? RateLimitReason(ReadOnlySpan<byte> body) => null;

    public IFeedProtocol CreateProtocol(ExporterOptions options, FeedContext context) => new BinanceProtocol(options, context);

    public IRestTradeSource CreateRestTrades(ExporterOptions options, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new BinanceRestTrades(options.BinanceRest, options.InstIds, rest, pacer, time);
    }

    public IVenueBackfill CreateBackfill(BackfillOptions options, ExchangeRestClient rest, ArchiveDownloader downloader, RequestPacer pacer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new BinanceBackfill(new BinanceArchive(options, downloader), new BinanceAggTradesDay(options.EffectiveRestUrl, rest, pacer, time));
    }

    public IReadOnlySet<MicroKind> SupportedMicroKinds { get; } = new HashSet<MicroKind>(MicroKinds.All);

    public IMicroProtocol? CreateMicroProtocol(ExporterOptions options, ExchangeRestClient rest, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The depth snapshot weighs 20; one request a second keeps a resync storm far inside the 2,400/min limit.
        // The protocol owns the pacer (disposed with it by whoever created the protocol: the exporter).
        var pacer = new RequestPacer(TimeSpan.FromSeconds(1), time);
        return new BinanceMicroProtocol { WsBase = options.BinanceWs, Rest = new BinanceMicroRestClient(options.BinanceRest, rest, pacer, time), OwnedPacer = pacer };
    }
}
