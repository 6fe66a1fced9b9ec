namespace Pipeline.Simulator.Trading;

/// <summary>
/// The outcome of a new order: refused (<see cref="Error"/>), or accepted with the order as acknowledged
/// (<see cref="Ack"/>, status NEW) and as it stands after any immediate matching (<see cref="Result"/>).
/// </summary>
public sealed record PlaceResult(PlaceError Error, PrivateOrder? Ack, PrivateOrder? Result, SimRateLimit? Limit = null)
{
    public bool Accepted => Error == PlaceError.None;

    public static PlaceResult Refused(PlaceError error, SimRateLimit? limit = null) => new(error, null, null, limit);
}
