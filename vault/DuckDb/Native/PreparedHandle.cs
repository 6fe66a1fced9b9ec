using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>Owns a <c>duckdb_prepared_statement</c> and keeps its connection alive until destroyed.</summary>
internal sealed class PreparedHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly ConnectionHandle _connection;

    public PreparedHandle(ConnectionHandle connection, IntPtr statement) : base(ownsHandle: true)
    {
        _connection = connection;
        var added = false;
        connection.DangerousAddRef(ref added);
        SetHandle(statement);
    }

    public ConnectionHandle Connection => _connection;

    protected override bool ReleaseHandle()
    {
        var statement = handle;
        DuckDbNative.DestroyPrepare(ref statement);
        _connection.DangerousRelease();
        return true;
    }
}
