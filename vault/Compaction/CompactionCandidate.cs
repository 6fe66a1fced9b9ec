namespace Pipeline.Vault.Compaction;

/// <summary>
/// One day file that may be compacted: a raw trade day (<see cref="Calc"/> null) or a derived
/// minute day of <see cref="Calc"/> (bars_1m, vwap, ...), with both of its paths.
/// </summary>
public sealed record CompactionCandidate(string? Calc, string Exchange, string InstId, DateOnly Day, string JsonlPath, string ParquetPath)
{
    public bool IsRaw => Calc is null;

    /// <summary>"raw" or the calculator name.</summary>
    public string Kind => Calc ?? "raw";

    public override string ToString() => $"{Kind} {Exchange}/{InstId} {Day:yyyy-MM-dd}";
}
