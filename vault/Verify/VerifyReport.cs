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

    public IEnumerable<VerifyGap> Gaps => Instruments.SelectMany(i => i.Gaps);

    /// <summary>Clean: no duplicates, torn or unparsable lines, misfiled lines, gaps, missing or extra trades.</summary>
    public bool IsClean => Duplicates == 0 && Torn == 0 && Unparsable == 0 && WrongDate == 0 && GapCount == 0 && Missing == 0 && Extra == 0;
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
    public long? FirstId { get; init; }
    public long? LastId { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>Missing trade ids From..To (inclusive) between two recorded ids.</summary>
public sealed record VerifyGap(string Exchange, string InstId, long From, long To);
