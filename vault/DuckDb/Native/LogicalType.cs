namespace Pipeline.Vault.DuckDb.Native;

/// <summary>A <c>duckdb_logical_type</c> borrowed for a few calls, destroyed on dispose.</summary>
internal readonly ref struct LogicalType
{
    private readonly IntPtr _type;

    public LogicalType(IntPtr type) => _type = type;

    public IntPtr Pointer => _type;

    public void Dispose()
    {
        if (_type != IntPtr.Zero)
        {
            var type = _type;
            DuckDbNative.DestroyLogicalType(ref type);
        }
    }
}
