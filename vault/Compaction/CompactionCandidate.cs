namespace Pipeline.Vault.Compaction;

/// <summary>
/// One day file that may be compacted: a raw trade day (<see cref="Calc"/> null) or a derived
/// minute day of <see cref="Calc"/> (bars_1m, vwap, ...), with both of its paths.
/// </summary>
public sealed record CompactionCandidate(string? Calc, string Exchange, string InstId, DateOnly Day, string JsonlPath, string ParquetPath)
{
    /// <summary>A raw microstructure day of this kind (quotes, book, liquidations, derivatives); null for trades and derived days.</summary>
    public Micro.MicroKind? Micro { get; init; }

    /// <summary>A raw trade day.</summary>
    public bool IsRaw => Calc is null && Micro is null;

    /// <summary>"raw" (trades), the microstructure kind's name, or the calculator name.</summary>
    public string Kind => Calc ?? (Micro is { } kind ? Pipeline.Vault.Micro.MicroKinds.Name(kind) : "raw");

    public override string ToString() => $"{Kind} {Exchange}/{InstId} {Day:yyyy-MM-dd}";
}
