using System.Text;
using Pipeline.Vault.DuckDb.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// A prepared statement: bind parameters (1-based) by value type, then execute as a streamed reader.
/// Bindable: null/DBNull, string, bool, sbyte..long, byte..uint (as BIGINT), double/float, decimal
/// (exact), DateTime (TIMESTAMP; UTC, Local converted), DateTimeOffset (TIMESTAMPTZ), DateOnly (DATE).
/// </summary>
public sealed unsafe class DuckDbStatement : IDisposable
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly PreparedHandle _handle;

    internal DuckDbStatement(PreparedHandle handle, string sql)
    {
        _handle = handle;
        Sql = sql;
    }

    public string Sql { get; }

    /// <summary>What kind of statement this is (SELECT, COPY, ATTACH, ...), known before it runs.</summary>
    public DuckDbStatementType StatementType => (DuckDbStatementType)DuckDbNative.StatementType(Handle);

    public int ParameterCount => (int)DuckDbNative.ParameterCount(Handle);

    private PreparedHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based) to <paramref name="value"/>.</summary>
    public void Bind(int index, object? value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        var h = Handle;
        var i = (ulong)index;
        var state = value switch
        {
            null or DBNull => DuckDbNative.BindNull(h, i),
            string s => BindText(h, i, s),
            bool b => DuckDbNative.BindBoolean(h, i, b),
            long l => DuckDbNative.BindInt64(h, i, l),
            int n => DuckDbNative.BindInt64(h, i, n),
            short n => DuckDbNative.BindInt64(h, i, n),
            sbyte n => DuckDbNative.BindInt64(h, i, n),
            byte n => DuckDbNative.BindInt64(h, i, n),
            ushort n => DuckDbNative.BindInt64(h, i, n),
            uint n => DuckDbNative.BindInt64(h, i, n),
            double d => DuckDbNative.BindDouble(h, i, d),
            float f => DuckDbNative.BindDouble(h, i, f),
            decimal m => DuckDbNative.BindDecimal(h, i, DuckDbDecimal.ToNative(m)),
            DateTime t => DuckDbNative.BindTimestamp(h, i, Micros(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t)),
            DateTimeOffset t => DuckDbNative.BindTimestampTz(h, i, Micros(t.UtcDateTime)),
            DateOnly d => DuckDbNative.BindDate(h, i, d.DayNumber - UnixEpochDay),
            _ => throw new ArgumentException($"parameter {index}: cannot bind a {value.GetType().Name}", nameof(value)),
        };
        if (state != DuckDbNative.Success)
        {
            throw new DuckDbException($"could not bind parameter {index} of {ParameterCount} ({value?.GetType().Name ?? "null"})");
        }
    }

    /// <summary>Executes and streams the rows; the reader must be disposed before the next statement.</summary>
    public DuckDbReader ExecuteReader() => ExecuteReader(ownsStatement: false);

    internal DuckDbReader ExecuteReader(bool ownsStatement)
    {
        var result = new ResultHandle(Handle.Connection);
        try
        {
            if (DuckDbNative.ExecutePreparedStreaming(_handle, result.Pointer) != DuckDbNative.Success)
            {
                throw new DuckDbException(DuckDbNative.Text(DuckDbNative.ResultError(result.Pointer)) ?? "execution failed");
            }

            return new DuckDbReader(result, ownsStatement ? this : null);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static long Micros(DateTime utc) => (utc.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;

    private static int BindText(PreparedHandle handle, ulong index, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var bytes = new byte[Math.Max(length, 1)]; // never a null pointer, even for ""
        Encoding.UTF8.GetBytes(value, bytes);
        fixed (byte* p = bytes)
        {
            return DuckDbNative.BindVarchar(handle, index, p, (ulong)length);
        }
    }
}
