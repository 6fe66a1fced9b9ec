using System.Threading.Channels;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>Binance USD-M behind <see cref="IOrderVenue"/> (skeleton; filled in on this branch).</summary>
public sealed class BinanceOrderVenue : IOrderVenue
{
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>();

    public BinanceOrderVenue(BinanceVenueOptions options, ApiCredentials credentials, TimeProvider time, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        _ = http;
    }

    public string Venue => TradingVenues.Binance;

    public ChannelReader<VenueEvent> Events => _events.Reader;

    public Task ConnectAsync(IReadOnlyCollection<string> instIds, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<VenueOrder> PlaceAsync(VenueOrderRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<VenueOrder?> CancelAsync(string instId, string clientOrderId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<VenueOrder?> QueryAsync(string instId, string clientOrderId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<VenueOrder>> OpenOrdersAsync(string instId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<VenuePosition> PositionAsync(string instId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<VenueFill>> FillsAsync(string instId, long sinceMs, CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
