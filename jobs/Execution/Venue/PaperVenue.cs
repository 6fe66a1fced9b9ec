using System.Threading.Channels;
using Pipeline.Exporter.Trading;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>The paper model as a venue (work in progress).</summary>
public sealed class PaperVenue : IOrderVenue, ITapeListener
{
    private readonly Channel<VenueEvent> _events = Channel.CreateUnbounded<VenueEvent>();

    public string Venue => "paper";

    public ChannelReader<VenueEvent> Events => _events.Reader;

    public void OnTrade(in TradeTick trade) => throw new NotImplementedException();

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
