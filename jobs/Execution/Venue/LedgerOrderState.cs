namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// One client order id as the ledger knows it: what was sent (the "sending" line), its last event and the fills recorded
/// for it. Built from ledger/{id}/orders.jsonl and fills.jsonl at start and kept current as lines are appended.
/// </summary>
internal sealed class LedgerOrderState(string orderId, string kind, string side, string type, decimal px, decimal qty, string? positionId,
    long? expiresTs, long firstTs)
{
    public string OrderId { get; } = orderId;
    public string Kind { get; } = kind;
    public string Side { get; } = side;
    public string Type { get; } = type;
    public decimal Px { get; } = px;
    public decimal Qty { get; } = qty;
    public string? PositionId { get; } = positionId;
    public long? ExpiresTs { get; } = expiresTs;

    /// <summary>Event time of the first line (the "sending").</summary>
    public long FirstTs { get; } = firstTs;

    /// <summary>sending, placed, filled, cancelled or rejected.</summary>
    public string LastEvent { get; set; } = "sending";

    public decimal FilledQty { get; set; }
    public decimal FilledValue { get; set; }
    public decimal Fees { get; set; }
    public long? FirstFillTs { get; set; }
    public long? LastFillTs { get; set; }

    public bool IsBuy => Side == "buy";
    public bool IsEntry => Kind == "entry";
    public bool IsFinal => LastEvent is "filled" or "cancelled" or "rejected";
    public decimal AvgPx => FilledQty == 0 ? 0 : FilledValue / FilledQty;

    /// <summary>A definite "no" from the venue (or an order that never reached it): nothing of it was filled.</summary>
    public bool FailedEmpty => LastEvent is "rejected" or "cancelled" && FilledQty == 0;
}
