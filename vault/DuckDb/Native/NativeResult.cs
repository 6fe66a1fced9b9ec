using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>
/// <c>duckdb_result</c>: five deprecated fields and the internal pointer. Only DuckDB reads the
/// fields; the binding keeps the struct in native memory and passes its address.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeResult
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public IntPtr DeprecatedColumns;
    public IntPtr DeprecatedErrorMessage;
    public IntPtr InternalData;
}
