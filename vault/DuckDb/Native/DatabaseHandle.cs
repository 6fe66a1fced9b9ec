using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>Owns a <c>duckdb_database</c>; closed once, by the runtime's SafeHandle rules.</summary>
internal sealed class DatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatabaseHandle(IntPtr database) : base(ownsHandle: true) => SetHandle(database);

    protected override bool ReleaseHandle()
    {
        var database = handle;
        DuckDbNative.Close(ref database);
        return true;
    }
}
