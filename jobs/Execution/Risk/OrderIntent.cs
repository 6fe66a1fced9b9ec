namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// An order the executor is about to send: its client id (an order already counted is not counted twice when a pass
/// is repeated), the instrument, side, base quantity, and whether it only reduces a position (exits: never blocked).
/// </summary>
public readonly record struct OrderIntent(string OrderId, string InstId, bool IsBuy, decimal Qty, bool ReduceOnly = false);
