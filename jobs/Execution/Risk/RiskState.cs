namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// What a <see cref="RiskGate"/> remembers across restarts: state/risk/{strategy}.json, written by the executor after
/// its ledger is synced and before its own state (a repeated pass re-applies fills and orders already counted: they
/// are recognised by id and skipped). The kill switch lives in its own file (<see cref="KillSwitch"/>).
/// </summary>
public sealed record RiskState
{
    public required string Strategy { get; init; }

    /// <summary>The UTC day of <see cref="DayRealized"/>.</summary>
    public DateOnly? Day { get; init; }

    /// <summary>Realised net PnL of the day in the quote currency (after fees).</summary>
    public decimal DayRealized { get; init; }

    /// <summary>Active or last halts with their reason and end (daily_loss until the next UTC day; volatility for its length).</summary>
    public IReadOnlyList<RiskHalt> Halts { get; init; } = [];

    public IReadOnlyList<RiskPosition> Positions { get; init; } = [];

    /// <summary>Client ids and times of the orders of the last minute (the per-minute limit).</summary>
    public IReadOnlyList<RiskOrder> RecentOrders { get; init; } = [];

    /// <summary>The latest fill ids booked (a fill delivered or replayed twice is booked once).</summary>
    public IReadOnlyList<string> RecentFillIds { get; init; } = [];

    /// <summary>Auto-flatten times up to here are handled.</summary>
    public long? FlattenCheckedMs { get; init; }

    /// <summary>The kill switch request (its <see cref="KillSwitch.SetAtMs"/>) whose cancel + flatten is done.</summary>
    public long? KillFlattenedFor { get; init; }

    /// <summary>The daily-loss halt (its until-time) whose flatten is done.</summary>
    public long? DailyLossFlattenedFor { get; init; }

    /// <summary>Low and high live price of the seconds still inside the volatility window.</summary>
    public IReadOnlyList<RiskPriceSecond> PriceSeconds { get; init; } = [];

    /// <summary>Event time of the latest price or fill seen.</summary>
    public long Now { get; init; }
}

/// <summary>A halt: kind (daily_loss, volatility), why, since and until when (Unix ms).</summary>
public sealed record RiskHalt(string Kind, string Reason, long SinceMs, long UntilMs);

/// <summary>A position as the gate books it: signed base quantity, average entry price, last known price.</summary>
public sealed record RiskPosition(string InstId, decimal Qty, decimal AvgPx, decimal MarkPx);

public sealed record RiskOrder(long Ts, string OrderId);

/// <summary>One second of live prices: its number (Unix seconds), lowest and highest price.</summary>
public sealed record RiskPriceSecond(long Second, decimal Min, decimal Max);
