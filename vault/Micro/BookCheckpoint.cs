namespace Pipeline.Vault.Micro;

/// <summary>
/// A book taken from the checkpoint index (<see cref="BookCheckpoints"/>): the book after every line of
/// <see cref="Day"/>'s file before <see cref="Offset"/> (JSONL: byte offset; Parquet: row), built from the snapshot the
/// reconstruction asked for. Replaying from <see cref="Offset"/> on gives the same book as replaying from the snapshot.
/// </summary>
public sealed record BookCheckpoint
{
    public required DateOnly Day { get; init; }

    /// <summary>Where the replay resumes: the first line not in <see cref="Book"/>.</summary>
    public required long Offset { get; init; }

    public required OrderBook Book { get; init; }

    /// <summary>True when the last line in the book is its snapshot (Binance's first update may straddle it).</summary>
    public required bool FirstAfterSnapshot { get; init; }

    /// <summary>Updates applied between the snapshot and <see cref="Offset"/>.</summary>
    public required long UpdatesSinceSnapshot { get; init; }

    /// <summary>The index file the checkpoint came from.</summary>
    public required string IndexFile { get; init; }
}
