namespace Pipeline.Simulator.Trading;

/// <summary>A user-stream connection of one account. Called under the exchange's lock: must not block.</summary>
public interface IPrivateListener
{
    void OnEvent(PrivateEvent e);

    /// <summary>The fault "user stream dropped": end the connection abruptly.</summary>
    void Drop();
}
