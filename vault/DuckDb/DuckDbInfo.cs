using DuckDB.NET.Data;

namespace Pipeline.Vault.DuckDb;

/// <summary>Facts about the DuckDB engine in use (DuckDB.NET.Data.Full with its bundled libduckdb).</summary>
public static class DuckDbInfo
{
    /// <summary>The libduckdb version, e.g. "v1.5.6" (opens a throwaway in-memory database).</summary>
    public static string Version()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        return connection.Ado.ServerVersion;
    }

    /// <summary>The DuckDB.NET provider's version, e.g. "1.5.6.1".</summary>
    public static string ProviderVersion() =>
        typeof(DuckDBConnection).Assembly.GetName().Version?.ToString() ?? "unknown";
}
