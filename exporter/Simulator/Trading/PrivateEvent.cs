namespace Pipeline.Simulator.Trading;

/// <summary>
/// What an account's user stream reports: an order changed (with the fill that changed it, if any), and after a fill the
/// account (wallet balance and the instrument's position). <see cref="Kind"/> names the execution: NEW, TRADE, CANCELED, EXPIRED.
/// </summary>
public sealed record PrivateEvent(string Kind, long Ts, PrivateOrder Order, PrivateFill? Fill, PrivatePosition Position, decimal WalletBalance);
