using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Okx;

namespace Pipeline.Exporter.Venues;

/// <summary>The supported venues by exchange name: the one place that maps "okx"/"binance" to their modules.</summary>
public static class VenueRegistry
{
    public static IVenue Okx { get; } = new OkxVenue();

    public static IVenue Binance { get; } = new BinanceVenue();

    public static IReadOnlyList<IVenue> All { get; } = [Okx, Binance];

    /// <summary>The exchange names, in CLI order (okx, binance).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(v => v.Exchange)];

    /// <summary>"okx|binance", for messages.</summary>
    public static string NamesText { get; } = string.Join('|', Names);

    public static bool IsKnown(string? exchange) => Find(exchange) is not null;

    /// <summary>The venue, or null for an unknown exchange.</summary>
    public static IVenue? Find(string? exchange) => exchange switch
    {
        OkxVenue.Name => Okx,
        BinanceVenue.Name => Binance,
        _ => null,
    };

    /// <summary>The venue; an unknown exchange is an <see cref="ArgumentException"/> naming the supported ones.</summary>
    public static IVenue For(string? exchange) =>
        Find(exchange) ?? throw new ArgumentException($"exchange '{exchange}' is not supported ({NamesText})");
}
