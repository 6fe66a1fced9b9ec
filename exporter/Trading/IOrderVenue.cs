using System.Threading.Channels;

namespace Pipeline.Exporter.Trading;

/// <summary>
/// Where an executor's orders go: an exchange's private API (Binance USD-M, OKX) or the paper model. One interface for
/// live, paper and backtest, so the strategy and the executor are the same code whichever venue fills the orders.
/// <para>Units: prices in the quote currency, quantities in the base coin (what <c>ContractPnl.Quantity</c> gives for a
/// linear contract); a venue that counts in contracts (OKX) converts with ctVal/lotSz itself. A venue rounds a request to
/// its filters (quantity down to the step, a post-only price away from crossing) and returns what it actually sent.</para>
/// <para>Errors are <see cref="VenueException"/> with a <see cref="VenueErrorKind"/> saying what the caller must do: a bad
/// key is fatal and never retried; an unknown outcome is settled by <see cref="QueryAsync"/> with the same client order id,
/// never by sending again.</para>
/// </summary>
public interface IOrderVenue : IAsyncDisposable
{
    /// <summary>"binance", "okx" (<see cref="TradingVenues"/>) or "paper".</summary>
    string Venue { get; }

    /// <summary>
    /// Order, fill and position events as they arrive (the user data stream / private WebSocket). The venue keeps its
    /// stream alive itself (keep-alive, reconnect with backoff) and writes a <see cref="VenueStreamGap"/> after every
    /// reconnect: events may have been missed, so the executor reconciles by client order id.
    /// </summary>
    ChannelReader<VenueEvent> Events { get; }

    /// <summary>
    /// Gets ready to trade <paramref name="instIds"/>: server time, instrument filters (tick, step, min notional, ctVal),
    /// and the user stream subscribed. Throws <see cref="VenueException"/> (<see cref="VenueErrorKind.Auth"/>) for bad keys.
    /// </summary>
    Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken);

    /// <summary>Sends one order. The client order id is the caller's (deterministic); the answer is the order as acknowledged.</summary>
    Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels by client order id: the order as canceled, or null when the venue has no open order of that id.</summary>
    Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken);

    /// <summary>The order of that client order id, open or not, or null when the venue never received it.</summary>
    Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken);

    /// <summary>The open orders of the instrument.</summary>
    Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken);

    /// <summary>The account's net position in the instrument (zero quantity when flat).</summary>
    Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken);

    /// <summary>The account's fills in the instrument at or after <paramref name="sinceMs"/> (venue time), oldest first.</summary>
    Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken);
}
