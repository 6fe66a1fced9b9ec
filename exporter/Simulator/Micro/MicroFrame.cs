namespace Pipeline.Simulator.Micro;

/// <summary>One rendered message of a micro channel (the venue's payload; Binance's combined streams wrap it per connection).</summary>
public sealed record MicroFrame(string InstId, MicroChannel Channel, byte[] Payload)
{
    /// <summary>The record's 0-based line in its truth file (quotes, liquidations: for the delivery log); -1 = none.</summary>
    public long TruthLine { get; init; } = -1;
}

/// <summary>A subscriber of micro channels (a WebSocket connection). Must not block.</summary>
public interface IMicroListener
{
    void OfferMicro(MicroFrame frame);
}
