using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb;

/// <summary>The DuckDB C API functions the binding uses (duckdb.h); nothing more.</summary>
internal static partial class DuckDbNative
{
    static DuckDbNative() => DuckDbLibrary.EnsureRegistered();

    [LibraryImport(DuckDbLibrary.LibraryName, EntryPoint = "duckdb_library_version")]
    internal static partial IntPtr LibraryVersion();
}
