using System.Text;
using DuckDB.NET.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A forward-only, allocation-free reader of BIGINT/INTEGER and VARCHAR columns for the hot raw-trade
/// reads (verify, calculators, backtest over Parquet days). DuckDB.NET's <c>DuckDBDataReader</c> makes a
/// string for every VARCHAR value (80 B a row measured, no span access), so these reads take the streamed
/// chunks through DuckDB.NET's own low-level bindings (<see cref="NativeMethods"/>) and hand out the UTF-8
/// bytes in place: one chunk (up to 2048 rows) alive at a time, nothing allocated per row. Every other
/// read uses <see cref="DuckDbReader"/>.
/// </summary>
public sealed unsafe class DuckDbScan : IDisposable
{
    private readonly DuckDBPreparedStatement _statement;
    private DuckDBResult _result;
    private readonly DuckDBType[] _types;
    private readonly string[] _names;
    private readonly IntPtr[] _data;
    private readonly IntPtr[] _validity;
    private DuckDBDataChunk? _chunk;
    private int _chunkSize;
    private int _row;
    private bool _done;
    private bool _disposed;

    internal DuckDbScan(DuckDBNativeConnection connection, string sql, object?[] parameters)
    {
        if (NativeMethods.PreparedStatements.DuckDBPrepare(connection, sql, out _statement) != DuckDBState.Success)
        {
            var message = NativeMethods.PreparedStatements.DuckDBPrepareError(_statement) ?? "prepare failed";
            _statement.Dispose();
            throw new DuckDbException(message);
        }

        try
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var state = parameters[i] switch
                {
                    string text => NativeMethods.PreparedStatements.DuckDBBindVarchar(_statement, i + 1, text),
                    long number => NativeMethods.PreparedStatements.DuckDBBindInt64(_statement, i + 1, number),
                    int number => NativeMethods.PreparedStatements.DuckDBBindInt64(_statement, i + 1, number),
                    var other => throw new ArgumentException($"parameter {i + 1}: a scan binds text and integers, not {other?.GetType().Name ?? "null"}", nameof(parameters)),
                };
                if (state != DuckDBState.Success)
                {
                    throw new DuckDbException($"could not bind parameter {i + 1}");
                }
            }

            if (NativeMethods.PreparedStatements.DuckDBExecutePreparedStreaming(_statement, out _result) != DuckDBState.Success)
            {
                var message = NativeMethods.Query.DuckDBResultError(ref _result) ?? "execution failed";
                NativeMethods.Query.DuckDBDestroyResult(ref _result);
                throw new DuckDbException(message);
            }
        }
        catch
        {
            _statement.Dispose();
            throw;
        }

        var count = (int)NativeMethods.Query.DuckDBColumnCount(ref _result);
        _types = new DuckDBType[count];
        _names = new string[count];
        _data = new IntPtr[count];
        _validity = new IntPtr[count];
        for (var i = 0; i < count; i++)
        {
            _types[i] = NativeMethods.Query.DuckDBColumnType(ref _result, i);
            _names[i] = NativeMethods.Query.DuckDBColumnName(ref _result, i) ?? "";
        }
    }

    public int FieldCount => _types.Length;

    /// <summary>Advances to the next row; false at the end. A query error found while streaming throws here.</summary>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_done)
        {
            return false;
        }

        _row++;
        while (_chunk is null || _row >= _chunkSize)
        {
            _chunk?.Dispose();
            _chunk = null;
            var chunk = NativeMethods.StreamingResult.DuckDBStreamFetchChunk(_result);
            if (chunk.IsInvalid)
            {
                chunk.Dispose();
                _done = true;
                var error = NativeMethods.Query.DuckDBResultError(ref _result);
                return error is null ? false : throw new DuckDbException(error);
            }

            _chunk = chunk;
            _chunkSize = (int)NativeMethods.DataChunks.DuckDBDataChunkGetSize(chunk);
            _row = 0;
            for (var c = 0; c < _types.Length; c++)
            {
                var vector = NativeMethods.DataChunks.DuckDBDataChunkGetVector(chunk, c);
                _data[c] = (IntPtr)NativeMethods.Vectors.DuckDBVectorGetData(vector);
                _validity[c] = (IntPtr)NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
            }
        }

        return true;
    }

    public bool IsNull(int i)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chunk is null)
        {
            throw new InvalidOperationException("no current row: call Read() first");
        }

        var validity = (ulong*)_validity[i];
        return validity is not null && (validity[_row >> 6] & (1UL << (_row & 63))) == 0;
    }

    /// <summary>A BIGINT or INTEGER value.</summary>
    public long GetInt64(int i) => _types[i] switch
    {
        DuckDBType.BigInt => *(long*)Element(i, 8),
        DuckDBType.Integer => *(int*)Element(i, 4),
        _ => throw Mismatch(i, "long"),
    };

    /// <summary>The UTF-8 bytes of a VARCHAR value, valid until the next <see cref="Read"/>; no allocation.</summary>
    public ReadOnlySpan<byte> GetUtf8(int i)
    {
        if (_types[i] != DuckDBType.Varchar)
        {
            throw Mismatch(i, "UTF-8 bytes");
        }

        var value = (DuckDBString*)Element(i, sizeof(DuckDBString));
        return new ReadOnlySpan<byte>(value->Data, value->Length);
    }

    public string GetString(int i) => Encoding.UTF8.GetString(GetUtf8(i));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _chunk?.Dispose();
        _chunk = null;
        NativeMethods.Query.DuckDBDestroyResult(ref _result);
        _statement.Dispose();
    }

    private byte* Element(int i, int size)
    {
        if (IsNull(i))
        {
            throw new InvalidOperationException($"column '{_names[i]}' is NULL in this row (check IsNull first)");
        }

        return (byte*)_data[i] + ((nint)_row * size);
    }

    private InvalidCastException Mismatch(int i, string wanted) =>
        new($"column '{_names[i]}' is {_types[i]}; a scan reads it not as {wanted} (use DuckDbConnection.Query)");
}
