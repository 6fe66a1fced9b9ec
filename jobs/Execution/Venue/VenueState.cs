using System.Text.Json;
using Pipeline.Jobs.Execution.Live;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// state/venue/{strategy}.json (<c>VaultLayout.VenueState</c>), written atomically after every step, once the ledger is
/// synced: how far the executor has decided (minute, raw-trade cursor, event time) and the strategy's memory. Orders and
/// positions are not here: they are rebuilt from the ledger (the record of what was sent) and the venue at start, so a
/// state older than the ledger after a crash loses nothing and repeats nothing.
/// </summary>
public sealed record VenueState
{
    public required string Strategy { get; init; }
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required string Venue { get; init; }

    /// <summary>The last minute decided (Unix ms of its start).</summary>
    public long? LastMinuteMs { get; init; }

    /// <summary>Event time: the newest raw trade or minute end processed.</summary>
    public long Now { get; init; }

    public required TradeCursor Trades { get; init; }

    public JsonElement? StrategyState { get; init; }

    /// <summary>Trades older than one already processed (ignored).</summary>
    public long LateTrades { get; init; }

    /// <summary>Set while the venue's position differs from the ledger's (no new entries until the venue is flat).</summary>
    public string? PositionMismatch { get; init; }

    /// <summary>Local time (Unix ms) of the write.</summary>
    public long UpdatedAt { get; init; }
}
