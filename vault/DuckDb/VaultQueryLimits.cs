namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Resource bounds of a vault query session: DuckDB's <c>memory_limit</c> (DuckDB syntax, e.g. "2GB")
/// and worker <c>threads</c>. Nothing spills to disk, so the memory limit is a hard bound.
/// </summary>
public sealed record VaultQueryLimits
{
    /// <summary>The default memory limit: a quarter of the memory this process may use (container limits included).</summary>
    public static string DefaultMemoryLimit
    {
        get
        {
            var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            var quarterMb = Math.Max(256, total / 4 / (1024 * 1024));
            return quarterMb.ToString(System.Globalization.CultureInfo.InvariantCulture) + "MiB";
        }
    }

    /// <summary>DuckDB memory_limit text, e.g. "2GB", "512MiB".</summary>
    public string MemoryLimit { get; init; } = DefaultMemoryLimit;

    /// <summary>Worker threads (1 or more).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
