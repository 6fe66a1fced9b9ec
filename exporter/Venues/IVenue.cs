using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Rest;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Venues;

/// <summary>
/// Everything the exporter, the instrument catalog, the gap filler and the backfill need to know about one
/// exchange: its WebSocket dialect, REST trade history, instrument list, daily archives and pacing/retry
/// defaults. One implementation per exchange (exporter/Okx, exporter/Binance); find it with
/// <see cref="VenueRegistry.For"/>. Asked once per connection, request or day, never per trade.
/// </summary>
public interface IVenue
{
    /// <summary>The exchange name used in the vault and the CLI (okx, binance).</summary>
    string Exchange { get; }

    /// <summary>Production endpoints, pacing and retry defaults.</summary>
    VenueDefaults Defaults { get; }

    /// <summary>Checks the venue-specific part of the options; null when fine, else the problem.</summary>
    string? Validate(ExporterOptions options);

    /// <summary>The REST base the exporter options configure for this venue.</summary>
    Uri RestBase(ExporterOptions options);

    /// <summary>The instrument list endpoint under a REST base.</summary>
    Uri InstrumentsEndpoint(Uri restBase);

    /// <summary>Parses the instrument list; rows with bad contract fields are rejected naming the field.</summary>
    (List<InstrumentSpec> Valid, List<RejectedInstrument> Rejected) ParseInstruments(ReadOnlySpan<byte> json);

    /// <summary>Why a successful-looking REST body is a rate-limit answer (OKX code 50011), or null.</summary>
    string? RateLimitReason(ReadOnlySpan<byte> body);

    /// <summary>The WebSocket dialect for these options.</summary>
    IFeedProtocol CreateProtocol(ExporterOptions options, FeedContext context);

    /// <summary>REST trade history of the options' instruments, for filling id holes.</summary>
    IRestTradeSource CreateRestTrades(ExporterOptions options, ExchangeRestClient rest, RequestPacer pacer, TimeProvider time);

    /// <summary>Whole UTC days from the archives or REST history, for the backfill.</summary>
    IVenueBackfill CreateBackfill(BackfillOptions options, ExchangeRestClient rest, ArchiveDownloader downloader, RequestPacer pacer, TimeProvider time);

    /// <summary>The microstructure kinds this venue records (<c>--data</c>); none until its module provides them.</summary>
    IReadOnlySet<MicroKind> SupportedMicroKinds => new HashSet<MicroKind>();

    /// <summary>
    /// The venue's microstructure protocol for these options (URLs from the options; <paramref name="rest"/> for REST
    /// snapshots and polls); null when the venue records none (<see cref="SupportedMicroKinds"/> is empty).
    /// </summary>
    IMicroProtocol? CreateMicroProtocol(ExporterOptions options, ExchangeRestClient rest, TimeProvider time) => null;
}
