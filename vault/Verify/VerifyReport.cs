namespace Pipeline.Vault.Verify;

/// <summary>The result of verifying raw days, per instrument and in total.</summary>
public sealed record VerifyReport
{
    public required IReadOnlyList<InstrumentVerifyResult> Instruments { get; init; }

    /// <summary>The event-time range compared with the truth (ms, inclusive), when truth was given.</summary>
    public long? TruthFromTs { get; init; }

    public long? TruthToTs { get; init; }

    public long Lines => Instruments.Sum(i => i.Lines);
    public long Duplicates => Instruments.Sum(i => i.Duplicates);
    public long Torn => Instruments.Sum(i => i.Torn);
    public long Unparsable => Instruments.Sum(i => i.Unparsable);
    public long WrongDate => Instruments.Sum(i => i.WrongDate);
    public long Missing => Instruments.Sum(i => i.Missing);
    public long Extra => Instruments.Sum(i => i.Extra);
    public long GapCount => Instruments.Sum(i => i.GapCount);
    public long GapIds => Instruments.Sum(i => i.GapIds);
    public long UnreadableFiles => Instruments.Sum(i => i.UnreadableFiles);
    public long Compared => Instruments.Sum(i => i.Compared);
    public long ContentMismatches => Instruments.Sum(i => i.ContentMismatches);
    public long KnownGapCount => Instruments.Sum(i => i.KnownGaps.Count);
    public long StateErrors => Instruments.Sum(i => i.StateErrors);

    public IEnumerable<VerifyGap> Gaps => Instruments.SelectMany(i => i.Gaps);

    /// <summary>The microstructure kinds (quotes, book, liquidations, derivatives), per kind and instrument (<see cref="MicroVerifier"/>).</summary>
    public IReadOnlyList<MicroVerifyResult> Micro { get; init; } = [];

    /// <summary>
    /// Clean: every microstructure kind clean (<see cref="MicroVerifyResult.IsClean"/>), and no duplicates, torn or unparsable lines, unreadable files, misfiled lines, gaps, missing or extra
    /// trades, trades whose content differs from the truth, known gaps in exporter state, or unreadable state.
    /// </summary>
    public bool IsClean => Duplicates == 0 && Torn == 0 && Unparsable == 0 && UnreadableFiles == 0 && WrongDate == 0 && GapCount == 0 &&
                           Missing == 0 && Extra == 0 && ContentMismatches == 0 && KnownGapCount == 0 && StateErrors == 0 &&
                           Micro.All(m => m.IsClean);
}

/// <summary>One instrument's findings.</summary>
public sealed record InstrumentVerifyResult
{
    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public int Days { get; init; }
    public long Lines { get; init; }
    public long Duplicates { get; init; }

    /// <summary>Torn lines (a tail without '\n').</summary>
    public long Torn { get; init; }

    /// <summary>Complete lines that do not parse as raw trades.</summary>
    public long Unparsable { get; init; }

    /// <summary>Lines whose event-time UTC date is not their file's date (or whose exchange/instId is not the folder's).</summary>
    public long WrongDate { get; init; }

    public long GapCount { get; init; }
    public long GapIds { get; init; }
    public IReadOnlyList<VerifyGap> Gaps { get; init; } = [];
    public long Missing { get; init; }
    public long Extra { get; init; }

    /// <summary>Files that could not be read at all (truncated or corrupt Parquet, I/O errors); each is named in <see cref="Problems"/>.</summary>
    public long UnreadableFiles { get; init; }

    /// <summary>Vault trades compared field by field with the truth trade of the same id.</summary>
    public long Compared { get; init; }

    /// <summary>Compared trades with at least one differing field.</summary>
    public long ContentMismatches { get; init; }

    /// <summary>The first differing fields (file, offset, field, expected, actual).</summary>
    public IReadOnlyList<VerifyMismatch> Mismatches { get; init; } = [];

    /// <summary>Holes the exporter recorded in its state as not proven filled, overlapping the verified range.</summary>
    public IReadOnlyList<Pipeline.Vault.State.KnownGap> KnownGaps { get; init; } = [];

    /// <summary>1 when the exporter state exists but cannot be read (its known gaps are then unknown).</summary>
    public int StateErrors { get; init; }

    public long? FirstId { get; init; }
    public long? LastId { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>Missing trade ids From..To (inclusive) between two recorded ids.</summary>
public sealed record VerifyGap(string Exchange, string InstId, long From, long To);
