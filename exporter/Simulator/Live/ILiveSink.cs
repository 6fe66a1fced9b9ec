namespace Pipeline.Simulator.Live;

/// <summary>A subscriber of the live feed (a WebSocket connection). Must not block.</summary>
public interface ILiveSink
{
    void Offer(LiveBatch batch);
}
