using System.Globalization;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>Binance's words in the venue interface's terms: orders, sides, types, statuses, and errors as <see cref="VenueErrorKind"/>.</summary>
internal static class BinanceVenueMapping
{
    /// <summary>The venue error for a Binance one: what the executor must do, the message one line with Binance's code and text.</summary>
    internal static VenueException Map(BinanceApiException e, string? clientOrderId = null)
    {
        var code = e.Code == 0 ? null : e.Code.ToString(CultureInfo.InvariantCulture);
        var what = clientOrderId is null ? "" : " (" + clientOrderId + ")";
        return e.Kind switch
        {
            BinanceErrorKind.BadKey => new VenueException(VenueErrorKind.Auth, e.Message, code, innerException: e),
            BinanceErrorKind.Unknown => new VenueException(VenueErrorKind.Unknown, e.Message + what, code, innerException: e),
            BinanceErrorKind.RateLimited => new VenueException(VenueErrorKind.RateLimited, e.Message + what, code, e.RetryAfter, e),
            BinanceErrorKind.Unavailable or BinanceErrorKind.ClockSkew => new VenueException(VenueErrorKind.Unavailable, e.Message + what, code, innerException: e),
            // The id exists already (sent before a crash): the outcome is that order's, so query it, never send a new id.
            _ when e.Code == -4116 => new VenueException(VenueErrorKind.Unknown, e.Message + what + "; the client order id exists: query it", code, innerException: e),
            _ => new VenueException(VenueErrorKind.Rejected, ReasonOf(e) + what + ": " + e.Message, code, innerException: e),
        };
    }

    private static string ReasonOf(BinanceApiException e) => e.Code switch
    {
        -5022 => "post-only would take",
        -2022 => "reduce-only refused (no position to reduce)",
        -2019 => "margin insufficient",
        -2011 or -2013 => "unknown order",
        _ => "refused",
    };

    internal static VenueOrder ToVenue(BinanceOrder o) => new(
        o.Symbol, o.ClientOrderId, o.OrderId.ToString(CultureInfo.InvariantCulture), SideOf(o.Side),
        TypeOf(o.Type, o.TimeInForce), o.Price, o.OrigQty, o.ExecutedQty, o.AvgPrice, StatusOf(o.Status), o.UpdateTimeMs, ReasonOfStatus(o.Status));

    internal static VenueOrderType TypeOf(string type, string timeInForce) => (type, timeInForce) switch
    {
        ("MARKET", _) => VenueOrderType.Market,
        ("LIMIT", "IOC" or "FOK") => VenueOrderType.Ioc,
        _ => VenueOrderType.PostOnly, // LIMIT GTX; any other resting limit (GTC, placed by hand) rests like one
    };

    internal static VenueOrderStatus StatusOf(string status) => status switch
    {
        "NEW" => VenueOrderStatus.New,
        "PARTIALLY_FILLED" => VenueOrderStatus.PartiallyFilled,
        "FILLED" => VenueOrderStatus.Filled,
        "CANCELED" => VenueOrderStatus.Canceled,
        "REJECTED" => VenueOrderStatus.Rejected,
        _ => VenueOrderStatus.Expired, // EXPIRED, EXPIRED_IN_MATCH (self-trade prevention)
    };

    internal static string? ReasonOfStatus(string status) => status == "EXPIRED_IN_MATCH" ? "expired in match (self-trade prevention)" : null;

    internal static VenueSide SideOf(string side) => side == "BUY" ? VenueSide.Buy : VenueSide.Sell;
}
