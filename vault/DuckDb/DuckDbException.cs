namespace Pipeline.Vault.DuckDb;

/// <summary>An error reported by DuckDB (its message is kept as is) or by the binding.</summary>
public sealed class DuckDbException : Exception
{
    public DuckDbException()
    {
    }

    public DuckDbException(string message) : base(message)
    {
    }

    public DuckDbException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
