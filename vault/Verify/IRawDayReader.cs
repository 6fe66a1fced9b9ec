namespace Pipeline.Vault.Verify;

/// <summary>
/// Reads one raw day file for verification, whatever its format (<see cref="JsonlRawDayReader"/>,
/// <see cref="ParquetRawDayReader"/>). Reports each row's key and each unusable row.
/// </summary>
public interface IRawDayReader
{
    /// <summary>True when this reader handles the file (by extension).</summary>
    bool CanRead(string path);

    /// <summary>Calls <paramref name="onRow"/> per usable row and <paramref name="onProblem"/> per torn or unparsable one.</summary>
    void Read(string path, Action<VerifyRow> onRow, Action<VerifyProblem> onProblem);
}

/// <summary>The fields verification needs from one raw row.</summary>
public readonly record struct VerifyRow(long TradeId, long Ts, int Count, string Exchange, string InstId);

/// <summary>A row that could not be used: torn (no trailing newline) or unparsable. Offset: a byte offset in JSONL, a row number in Parquet.</summary>
public readonly record struct VerifyProblem(bool Torn, long Offset, string Reason)
{
    /// <summary>The whole file (from <see cref="Offset"/> on) could not be read: truncated, corrupt, a required column missing.</summary>
    public bool Unreadable { get; init; }
}
