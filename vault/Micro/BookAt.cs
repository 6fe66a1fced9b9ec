namespace Pipeline.Vault.Micro;

/// <summary>
/// The book of one instrument at an instant, reconstructed from the vault (<see cref="BookReconstructor"/>): the book
/// when it is known there, else <see cref="Unknown"/> says why. The counts say what the reconstruction cost.
/// </summary>
public sealed record BookAt
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }

    /// <summary>The instant asked for, Unix ms.</summary>
    public required long AtTs { get; init; }

    /// <summary>The book after every line at or before <see cref="AtTs"/>; null when unknown there.</summary>
    public OrderBook? Book { get; init; }

    /// <summary>Why the book is unknown at <see cref="AtTs"/> (inside a resync → snapshot window, before the first snapshot).</summary>
    public string? Unknown { get; init; }

    /// <summary>The snapshot the book was built from: its file, offset and event time.</summary>
    public string? SnapshotFile { get; init; }

    public long SnapshotOffset { get; init; }
    public long SnapshotTs { get; init; }

    /// <summary>Updates applied after the snapshot (those a checkpoint held included).</summary>
    public long UpdatesApplied { get; init; }

    /// <summary>The checkpoint index the book started from instead of the snapshot (<see cref="BookCheckpoints"/>); null when none was used.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>Where in its day file the replay resumed after the checkpoint (byte offset, or row of a Parquet day).</summary>
    public long CheckpointOffset { get; init; }

    /// <summary>Updates this call parsed and applied (after the checkpoint, or after the snapshot when none was used).</summary>
    public long UpdatesReplayed { get; init; }

    /// <summary>Lines looked at by the index pass (type and time only, no parse).</summary>
    public long LinesIndexed { get; init; }

    /// <summary>Wall time the reconstruction took.</summary>
    public TimeSpan Elapsed { get; init; }
}
