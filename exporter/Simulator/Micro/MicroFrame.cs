namespace Pipeline.Simulator.Micro;

/// <summary>One rendered message of a micro channel (the venue's payload; Binance's combined streams wrap it per connection).</summary>
public sealed record MicroFrame(string InstId, MicroChannel Channel, byte[] Payload);

/// <summary>A subscriber of micro channels (a WebSocket connection). Must not block.</summary>
public interface IMicroListener
{
    void OfferMicro(MicroFrame frame);
}
