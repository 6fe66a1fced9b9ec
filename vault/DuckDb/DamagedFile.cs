namespace Pipeline.Vault.DuckDb;

/// <summary>A vault file a reader skipped because it cannot be read, and why.</summary>
public sealed record DamagedFile(string Path, string Reason);
