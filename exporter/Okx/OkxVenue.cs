using Pipeline.Vault.Micro;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;

namespace Pipeline.Exporter.Okx;

/// <summary>OKX v5 (PROTOCOL.md next to this file): trades-all/trades WebSocket, history-trades REST, UTC+8 daily archives.</summary>
public sealed class OkxVenue : IVenue
{
    public const string Name = "okx";

    public const string RestDefault = "https://www.okx.com";

    public string Exchange => Name;

    public VenueDefaults Defaults { get; } = new()
    {
        RestBase = new Uri(RestDefault),
        // history-trades allows 20 requests per 2 s per IP (PROTOCOL.md 1.9).
        RestInterval = TimeSpan.FromMilliseconds(110),
        // Below the server's own 30 s no-data close (4004), so the report comes first.
        SilenceTimeout = TimeSpan.FromSeconds(25),
        ArchiveDelayHint = " (OKX archives appear about T+2; a UTC day needs the files of that date and the next)",
    };

    public string? Validate(ExporterOptions options) => null;

    public Uri RestBase(ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.OkxRest;
    }

    public Uri InstrumentsEndpoint(Uri restBase) => new(restBase, OkxInstruments.Path);

    public (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) ParseInstruments(ReadOnlySpan<byte> json) => OkxInstruments.Parse(json);

    /// <summary>OKX answers a REST rate limit with HTTP 429 and code 50011 in the body (PROTOCOL.md 1.6).</summary>
    public string? RateLimitReason(ReadOnlySpan<byte> body) =>
        body.IndexOf("\"code\":\"50011\""u8) >= 0 ? "OKX code 50011 (rate limit)" : null;

    public IFeedProtocol CreateProtocol(ExporterOptions options, FeedContext context) => new OkxProtocol(options, context);

    public IRestTradeSource CreateRestTrades(ExporterOptions options, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OkxRestTrades(options.OkxRest, options.InstIds, rest, pacer, time);
    }

    public IVenueBackfill CreateBackfill(BackfillOptions options, ExchangeRestClient rest, ArchiveDownloader downloader, RequestPacer pacer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OkxBackfill(new OkxArchive(options, rest, downloader), new OkxHistoryDay(options.EffectiveRestUrl, rest, pacer, time));
    }

    public IReadOnlySet<MicroKind> SupportedMicroKinds { get; } = new HashSet<MicroKind>(MicroKinds.All);

    public IMicroProtocol? CreateMicroProtocol(ExporterOptions options, ExchangeRestClient rest, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OkxMicroProtocol(options.InstIds) { WsUrl = options.WsUrlOverride ?? options.OkxWsPublic };
    }
}
