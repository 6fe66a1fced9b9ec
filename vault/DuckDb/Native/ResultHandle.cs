using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>
/// A <c>duckdb_result</c> struct in native memory (zeroed, so destroying an unfilled one is safe),
/// destroyed and freed once; keeps its connection alive.
/// </summary>
internal sealed unsafe class ResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly ConnectionHandle _connection;

    public ResultHandle(ConnectionHandle connection) : base(ownsHandle: true)
    {
        _connection = connection;
        var added = false;
        connection.DangerousAddRef(ref added);
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)sizeof(NativeResult)));
    }

    /// <summary>The struct's address; valid until disposal.</summary>
    public NativeResult* Pointer => (NativeResult*)handle;

    protected override bool ReleaseHandle()
    {
        var result = (NativeResult*)handle;
        DuckDbNative.DestroyResult(result);
        NativeMemory.Free(result);
        _connection.DangerousRelease();
        return true;
    }
}
