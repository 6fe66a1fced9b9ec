using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// One instrument's book continuity rules (OKX seqId/prevSeqId and checksum; Binance U/u/pu after a REST snapshot):
/// decides, line by line, whether a parsed book line may be recorded. No update is ever recorded across a gap.
/// </summary>
public interface IBookSequencer
{
    /// <summary>What to do with <paramref name="line"/> (a snapshot or an update as parsed).</summary>
    BookDecision Decide(BookRecord line);

    /// <summary>
    /// The allocation-free form of <see cref="Decide"/> for the commonest line, an update (from
    /// <see cref="IMicroProtocol.TryReadBookUpdate"/>) that continues the book: true when Decide would say
    /// <see cref="BookAction.Record"/>, with the state moved on as Decide would; false, with nothing changed, for
    /// anything else, and the caller then decides the parsed record with Decide. Default: false.
    /// </summary>
    bool TryContinue(BookUpdate update) => false;

    /// <summary>Forget the book (after a reconnect): the next line accepted is a snapshot.</summary>
    void Reset();
}

/// <summary>What to do with a parsed book line.</summary>
public enum BookAction
{
    /// <summary>Record it: it continues the known book (or is a snapshot that starts one).</summary>
    Record,

    /// <summary>Skip it without a break: it is older than the book (Binance events before the snapshot's lastUpdateId).</summary>
    Skip,

    /// <summary>Hold it until a snapshot arrives (Binance buffers diff events while the REST snapshot is fetched).</summary>
    Buffer,

    /// <summary>The book broke (gap, checksum mismatch): record a resync line with the reason, then get a new snapshot.</summary>
    Resync,
}

/// <summary>The decision and, for <see cref="BookAction.Resync"/> or <see cref="BookAction.Skip"/>, why.</summary>
public sealed record BookDecision(BookAction Action, string? Reason = null)
{
    public static BookDecision Record { get; } = new(BookAction.Record);
}
