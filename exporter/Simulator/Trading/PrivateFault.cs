namespace Pipeline.Simulator.Trading;

/// <summary>The private API's faults (spec items in brackets; a test can arm one for the next occasion with <see cref="PrivateFaults.Arm"/>).</summary>
public enum PrivateFault
{
    /// <summary>[orderreject=P] a new order is rejected by the venue (Binance -2019 margin insufficient).</summary>
    Reject,

    /// <summary>[partialfill=P] a fill that would complete an order fills half of what is left (a market order's rest expires).</summary>
    PartialFill,

    /// <summary>[userdrop=P] a user-stream connection is dropped (TCP abort) instead of being sent an event, which it never gets.</summary>
    DropUserStream,

    /// <summary>[eventlost=P] an order is acknowledged over REST but its NEW event never reaches any user stream.</summary>
    EventLost,

    /// <summary>[acklost=P] the order is placed but the REST reply is lost (Binance HTTP 503 -1007, execution status unknown).</summary>
    AckLost,

    /// <summary>
    /// [ackhold=P] the order is placed (truth log, user-stream NEW event) but the REST reply is withheld until the client
    /// disconnects (or the simulator stops): a test can kill the client exactly between send and acknowledgement.
    /// </summary>
    AckHold,
}
