using Pipeline.Vault.DuckDb.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A connection: <see cref="Execute"/> for statements, <see cref="Query"/> for streamed rows,
/// <see cref="Scalar{T}"/> for one value. One statement at a time: starting a query invalidates a
/// reader still open on the same connection.
/// </summary>
public sealed unsafe class DuckDbConnection : IDisposable
{
    private readonly ConnectionHandle _handle;
    private readonly DuckDbDatabase? _owned;

    internal DuckDbConnection(ConnectionHandle handle, DuckDbDatabase? owned)
    {
        _handle = handle;
        _owned = owned;
    }

    /// <summary>A connection to a new in-memory database that it owns (closed with the connection).</summary>
    public static DuckDbConnection OpenInMemory(IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = DuckDbDatabase.OpenInMemory(settings);
        try
        {
            return new DuckDbConnection(database.ConnectHandle(), database);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    internal ConnectionHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Runs one or more statements (separated by ';'); returns the rows changed by the last one.</summary>
    public long Execute(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        using var result = new ResultHandle(Handle);
        if (DuckDbNative.Query(_handle, sql, result.Pointer) != DuckDbNative.Success)
        {
            throw new DuckDbException(DuckDbNative.Text(DuckDbNative.ResultError(result.Pointer)) ?? "query failed");
        }

        return (long)DuckDbNative.RowsChanged(result.Pointer);
    }

    /// <summary>Prepares one statement; parameters are <c>?</c> or <c>$1</c>, bound 1-based.</summary>
    public DuckDbStatement Prepare(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var state = DuckDbNative.Prepare(Handle, sql, out var raw);
        var statement = new PreparedHandle(_handle, raw);
        if (state != DuckDbNative.Success)
        {
            var message = raw == IntPtr.Zero ? "prepare failed" : DuckDbNative.Text(DuckDbNative.PrepareError(statement)) ?? "prepare failed";
            statement.Dispose();
            throw new DuckDbException(message);
        }

        return new DuckDbStatement(statement, sql);
    }

    /// <summary>Runs one statement with positional parameters and streams its rows (chunk by chunk).</summary>
    public DuckDbReader Query(string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var statement = Prepare(sql);
        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                statement.Bind(i + 1, parameters[i]);
            }

            return statement.ExecuteReader(ownsStatement: true);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    /// <summary>The first column of the first row, or default when there is no row or it is NULL.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        using var reader = Query(sql, parameters);
        return reader.Read() ? reader.Get<T>(0) : default;
    }

    /// <summary>Asks the running statement to stop (from any thread); it then fails with "Interrupted".</summary>
    public void Interrupt()
    {
        if (!_handle.IsClosed)
        {
            DuckDbNative.Interrupt(_handle);
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        _owned?.Dispose();
    }
}
