using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary><c>duckdb_decimal</c>: width, scale, and the unscaled value as a <c>duckdb_hugeint</c> (lower, upper).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeDecimal
{
    public byte Width;
    public byte Scale;
    public ulong Lower;
    public long Upper;
}
