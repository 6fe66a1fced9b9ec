namespace Pipeline.Vault.Status;

/// <summary>
/// state/status/{exchange}/{instId}.json: per raw file, the stats as of a length, so status
/// only scans the bytes appended since (raw files are append-only).
/// </summary>
public sealed record StatusCache
{
    public Dictionary<string, DayFileStats> Files { get; init; } = new(StringComparer.Ordinal);
}
