namespace Pipeline.Simulator.Trading;

/// <summary>Why a new order was refused; each venue maps it to its own code and message.</summary>
public enum PlaceError
{
    None,

    /// <summary>A post-only order would cross the book at placement.</summary>
    PostOnlyWouldTake,

    /// <summary>The client order id was used before on this account.</summary>
    DuplicateClientOrderId,

    /// <summary>An order rate limit of the account is full (<see cref="PlaceResult.Limit"/> says which).</summary>
    RateLimited,

    /// <summary>The fault "reject".</summary>
    Rejected,

    /// <summary>Quantity not positive or not a multiple of the step.</summary>
    BadQuantity,

    /// <summary>Price not positive or not a multiple of the tick.</summary>
    BadPrice,

    UnknownInstrument,

    /// <summary>A reduce-only order whose side would open or grow the position (or the position is flat).</summary>
    ReduceOnlyRejected,
}
