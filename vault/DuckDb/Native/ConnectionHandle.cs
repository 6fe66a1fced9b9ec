using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>
/// Owns a <c>duckdb_connection</c> and keeps its database alive (AddRef) until it is disconnected,
/// so disposal order and finalisation can never close the database under a live connection.
/// </summary>
internal sealed class ConnectionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly DatabaseHandle _database;

    public ConnectionHandle(DatabaseHandle database, IntPtr connection) : base(ownsHandle: true)
    {
        _database = database;
        var added = false;
        database.DangerousAddRef(ref added);
        SetHandle(connection);
    }

    protected override bool ReleaseHandle()
    {
        var connection = handle;
        DuckDbNative.Disconnect(ref connection);
        _database.DangerousRelease();
        return true;
    }
}
