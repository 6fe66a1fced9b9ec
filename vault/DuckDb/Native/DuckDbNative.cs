using System.Runtime.InteropServices;

namespace Pipeline.Vault.DuckDb.Native;

/// <summary>
/// The DuckDB C API functions the binding uses (duckdb.h of DuckDB 1.5); nothing more.
/// Handles are opaque pointers; <c>duckdb_result</c> is a caller-owned struct passed by pointer
/// (or by value where the header says so); <c>idx_t</c> is <see cref="ulong"/>; C <c>bool</c> is one byte.
/// </summary>
internal static unsafe partial class DuckDbNative
{
    private const string Lib = DuckDbLibrary.LibraryName;

    public const int Success = 0;

    static DuckDbNative() => DuckDbLibrary.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "duckdb_library_version")]
    internal static partial IntPtr LibraryVersion();

    // Open/connect

    [LibraryImport(Lib, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OpenExt(string? path, out IntPtr database, IntPtr config, out IntPtr error);

    [LibraryImport(Lib, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref IntPtr database);

    [LibraryImport(Lib, EntryPoint = "duckdb_connect")]
    internal static partial int Connect(DatabaseHandle database, out IntPtr connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref IntPtr connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_interrupt")]
    internal static partial void Interrupt(ConnectionHandle connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_free")]
    internal static partial void Free(IntPtr pointer);

    // Configuration

    [LibraryImport(Lib, EntryPoint = "duckdb_create_config")]
    internal static partial int CreateConfig(out IntPtr config);

    [LibraryImport(Lib, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetConfig(IntPtr config, string name, string option);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref IntPtr config);

    // Query execution and results

    [LibraryImport(Lib, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Query(ConnectionHandle connection, string sql, NativeResult* result);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(NativeResult* result);

    [LibraryImport(Lib, EntryPoint = "duckdb_result_error")]
    internal static partial IntPtr ResultError(NativeResult* result);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(NativeResult* result);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_name")]
    internal static partial IntPtr ColumnName(NativeResult* result, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_logical_type")]
    internal static partial IntPtr ColumnLogicalType(NativeResult* result, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong RowsChanged(NativeResult* result);

    [LibraryImport(Lib, EntryPoint = "duckdb_result_is_streaming")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool ResultIsStreaming(NativeResult result);

    [LibraryImport(Lib, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial IntPtr FetchChunk(NativeResult result);

    // Prepared statements

    [LibraryImport(Lib, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Prepare(ConnectionHandle connection, string sql, out IntPtr statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_prepare_error")]
    internal static partial IntPtr PrepareError(PreparedHandle statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref IntPtr statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(PreparedHandle statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_prepared_statement_type")]
    internal static partial int StatementType(PreparedHandle statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_boolean")]
    internal static partial int BindBoolean(PreparedHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_int64")]
    internal static partial int BindInt64(PreparedHandle statement, ulong index, long value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_double")]
    internal static partial int BindDouble(PreparedHandle statement, ulong index, double value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial int BindVarchar(PreparedHandle statement, ulong index, byte* value, ulong length);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_decimal")]
    internal static partial int BindDecimal(PreparedHandle statement, ulong index, NativeDecimal value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_null")]
    internal static partial int BindNull(PreparedHandle statement, ulong index);

    // duckdb_timestamp and duckdb_date are one-field structs: passed exactly like the field.
    [LibraryImport(Lib, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial int BindTimestamp(PreparedHandle statement, ulong index, long micros);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_timestamp_tz")]
    internal static partial int BindTimestampTz(PreparedHandle statement, ulong index, long micros);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_date")]
    internal static partial int BindDate(PreparedHandle statement, ulong index, int days);

    [LibraryImport(Lib, EntryPoint = "duckdb_execute_prepared")]
    internal static partial int ExecutePrepared(PreparedHandle statement, NativeResult* result);

    // Deprecated in 1.5 but the documented way to get a streaming result from a prepared statement.
    [LibraryImport(Lib, EntryPoint = "duckdb_execute_prepared_streaming")]
    internal static partial int ExecutePreparedStreaming(PreparedHandle statement, NativeResult* result);

    // Data chunks and vectors

    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong ChunkSize(IntPtr chunk);

    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial IntPtr ChunkVector(IntPtr chunk, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyChunk(ref IntPtr chunk);

    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* VectorData(IntPtr vector);

    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* VectorValidity(IntPtr vector);

    // Logical types

    [LibraryImport(Lib, EntryPoint = "duckdb_get_type_id")]
    internal static partial int TypeId(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_decimal_width")]
    internal static partial byte DecimalWidth(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_decimal_scale")]
    internal static partial byte DecimalScale(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_decimal_internal_type")]
    internal static partial int DecimalInternalType(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_enum_internal_type")]
    internal static partial int EnumInternalType(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_enum_dictionary_size")]
    internal static partial uint EnumDictionarySize(IntPtr logicalType);

    [LibraryImport(Lib, EntryPoint = "duckdb_enum_dictionary_value")]
    internal static partial IntPtr EnumDictionaryValue(IntPtr logicalType, ulong index);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void DestroyLogicalType(ref IntPtr logicalType);

    /// <summary>Copies a C string owned by DuckDB; null stays null.</summary>
    internal static string? Text(IntPtr utf8) => utf8 == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(utf8);
}
