using System.Text.Json;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// Everything the paper engine remembers, as plain data: serialised into
/// state/executor/{strategy}.json so open orders and positions survive a restart.
/// </summary>
public sealed record EngineState
{
    /// <summary>Last minute decided (Unix ms of its start); minutes at or before it are ignored.</summary>
    public long? LastMinuteMs { get; init; }

    /// <summary>Event time of the latest event processed.</summary>
    public long Now { get; init; }

    public long OrderSeq { get; init; }
    public long FillSeq { get; init; }
    public long PositionSeq { get; init; }

    public PendingEntry? Entry { get; init; }
    public OpenPosition? Position { get; init; }

    /// <summary>Exit levels reached in the current minute, resolved when the minute ends (stop wins).</summary>
    public ExitHits? Hits { get; init; }

    public DayStats? Day { get; init; }

    /// <summary>The strategy's own memory (e.g. the halt).</summary>
    public JsonElement? Strategy { get; init; }

    /// <summary>Trades that arrived with an event time before one already processed (ignored).</summary>
    public long LateTrades { get; init; }
}

/// <summary>A resting post-only entry limit.</summary>
public sealed record PendingEntry(string OrderId, bool IsLong, decimal LimitPx, decimal Qty, long PlacedTs, long ExpiresTs, long SignalMinuteMs);

/// <summary>An open position with its take-profit limit and stop.</summary>
public sealed record OpenPosition(
    string PositionId,
    bool IsLong,
    decimal Qty,
    decimal EntryPx,
    long EntryTs,
    decimal EntryFee,
    string TakeProfitOrderId,
    decimal TakeProfitPx,
    string StopLossOrderId,
    decimal StopLossPx);

/// <summary>First trade reaching the take-profit and the stop within one minute bucket.</summary>
public sealed record ExitHits(long MinuteMs, long? TakeProfitTs, string? TakeProfitTradeId, long? StopLossTs, string? StopLossTradeId);

/// <summary>
/// Risk counters of one UTC day: entries filled, realised net PnL (in the contract's PnL currency) and
/// the sum of the round trips' net returns in % of notional (what the daily loss limit compares; null in a
/// state written before it was kept, which held linear trades only).
/// </summary>
public sealed record DayStats(DateOnly Day, int Entries, decimal RealizedNet, decimal? RealizedNetPct = null);
