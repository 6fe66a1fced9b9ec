using Pipeline.Vault.DuckDb.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>An open DuckDB database (in memory or a file). Dispose closes it once connections are gone.</summary>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DatabaseHandle _handle;

    private DuckDbDatabase(DatabaseHandle handle) => _handle = handle;

    /// <summary>A new in-memory database with optional start-up settings (name → value, as for <c>SET</c>).</summary>
    public static DuckDbDatabase OpenInMemory(IReadOnlyDictionary<string, string>? settings = null) => Open(null, settings);

    /// <summary>
    /// Opens (or creates) the database file at <paramref name="path"/>, or an in-memory one when null.
    /// Settings are applied through <c>duckdb_create_config</c>/<c>duckdb_set_config</c> before start-up.
    /// </summary>
    public static DuckDbDatabase Open(string? path, IReadOnlyDictionary<string, string>? settings = null)
    {
        DuckDbInfo.Version(); // loads the library, or a clear error naming the fix
        var config = IntPtr.Zero;
        try
        {
            if (settings is { Count: > 0 })
            {
                if (DuckDbNative.CreateConfig(out config) != DuckDbNative.Success)
                {
                    throw new DuckDbException("duckdb_create_config failed");
                }

                foreach (var (name, value) in settings)
                {
                    if (DuckDbNative.SetConfig(config, name, value) != DuckDbNative.Success)
                    {
                        throw new DuckDbException($"DuckDB rejected the setting {name}='{value}'");
                    }
                }
            }

            if (DuckDbNative.OpenExt(path, out var database, config, out var error) != DuckDbNative.Success)
            {
                var message = DuckDbNative.Text(error) ?? "unknown error";
                if (error != IntPtr.Zero)
                {
                    DuckDbNative.Free(error);
                }

                throw new DuckDbException($"could not open DuckDB database '{path ?? ":memory:"}': {message}");
            }

            return new DuckDbDatabase(new DatabaseHandle(database));
        }
        finally
        {
            if (config != IntPtr.Zero)
            {
                DuckDbNative.DestroyConfig(ref config);
            }
        }
    }

    /// <summary>A new connection; each connection runs one statement at a time.</summary>
    public DuckDbConnection Connect() => new(ConnectHandle(), owned: null);

    internal ConnectionHandle ConnectHandle()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (DuckDbNative.Connect(_handle, out var connection) != DuckDbNative.Success)
        {
            throw new DuckDbException("could not connect to the DuckDB database");
        }

        return new ConnectionHandle(_handle, connection);
    }

    /// <summary>Closes the database; open connections keep it alive until they are disposed.</summary>
    public void Dispose() => _handle.Dispose();
}
