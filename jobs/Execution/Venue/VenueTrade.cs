namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// One position's life at the venue: its entry order and every exit order (take-profit, market exits), all ledger
/// orders with the same position id. Quantities come from the fills recorded in the ledger, so the trade is rebuilt
/// exactly from the ledger after a restart. Exit levels are the paper engine's: from the entry limit (a post-only
/// entry fills at its limit).
/// </summary>
internal sealed class VenueTrade(string positionId, long signalMinuteMs, LedgerOrderState entry, decimal takeProfitRate, decimal stopLossRate)
{
    public string PositionId { get; } = positionId;
    public long SignalMinuteMs { get; } = signalMinuteMs;
    public LedgerOrderState Entry { get; } = entry;
    public List<LedgerOrderState> Exits { get; } = [];

    public bool IsLong => Entry.IsBuy;

    /// <summary>The "open" position line is written.</summary>
    public bool Opened { get; set; }

    /// <summary>The exit the executor wants (stop_loss, exit_vwap, exit_time, risk_flatten) until the position is flat.</summary>
    public string? ExitWanted { get; set; }

    public string? ExitReason { get; set; }

    public decimal TakeProfitPx => IsLong ? Entry.Px * (1 + takeProfitRate) : Entry.Px * (1 - takeProfitRate);

    public decimal StopLossPx => IsLong ? Entry.Px * (1 - stopLossRate) : Entry.Px * (1 + stopLossRate);

    public decimal EntryFilled => Entry.FilledQty;

    public decimal ExitFilled => Exits.Sum(o => o.FilledQty);

    /// <summary>The base quantity held (unsigned).</summary>
    public decimal OpenQty => EntryFilled - ExitFilled;

    public LedgerOrderState? TakeProfit => Exits.LastOrDefault(o => o.Kind == "take_profit" && !o.IsFinal);

    public LedgerOrderState? PendingExit => Exits.FirstOrDefault(o => o.Kind != "take_profit" && !o.IsFinal);

    public IEnumerable<LedgerOrderState> OpenOrders => Exits.Prepend(Entry).Where(o => !o.IsFinal);

    public static char Leg(string kind) => kind switch
    {
        "entry" => Pipeline.Exporter.Trading.ClientOrderIds.Entry,
        "take_profit" => Pipeline.Exporter.Trading.ClientOrderIds.TakeProfit,
        "stop_loss" => Pipeline.Exporter.Trading.ClientOrderIds.StopLoss,
        "exit_vwap" => Pipeline.Exporter.Trading.ClientOrderIds.ExitVwap,
        "exit_time" => Pipeline.Exporter.Trading.ClientOrderIds.ExitTime,
        _ => Pipeline.Exporter.Trading.ClientOrderIds.RiskFlatten,
    };
}
