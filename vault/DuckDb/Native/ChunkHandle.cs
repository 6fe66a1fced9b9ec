using Microsoft.Win32.SafeHandles;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>Owns one <c>duckdb_data_chunk</c> fetched from a result.</summary>
internal sealed class ChunkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ChunkHandle(IntPtr chunk) : base(ownsHandle: true) => SetHandle(chunk);

    /// <summary>The raw pointer for vector access; the caller keeps this handle alive meanwhile.</summary>
    public IntPtr Pointer => handle;

    protected override bool ReleaseHandle()
    {
        var chunk = handle;
        DuckDbNative.DestroyChunk(ref chunk);
        return true;
    }
}
