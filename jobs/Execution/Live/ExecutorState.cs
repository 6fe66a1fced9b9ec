using Pipeline.Jobs.Execution.Ledger;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// state/executor/{strategy}.json: the engine (open orders, position, counters, strategy memory),
/// the raw-trade cursor and the ledger lengths, written atomically after the ledger is synced.
/// </summary>
public sealed record ExecutorState
{
    public required string Strategy { get; init; }
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required EngineState Engine { get; init; }
    public TradeCursor? Trades { get; init; }
    public required LedgerLengths Ledger { get; init; }

    /// <summary>Local time (Unix ms) of the write.</summary>
    public long UpdatedAt { get; init; }
}
