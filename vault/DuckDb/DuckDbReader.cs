using System.Globalization;
using System.Text;
using Pipeline.Vault.DuckDb.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Forward-only rows of a streamed result. Rows are read straight from DuckDB's data chunks (one
/// chunk of up to 2048 rows alive at a time), so memory stays flat however large the result.
/// Getters throw <see cref="InvalidOperationException"/> on NULL (check <see cref="IsNull"/>) and
/// <see cref="InvalidCastException"/> when the column's type does not convert exactly.
/// </summary>
public sealed unsafe class DuckDbReader : IDisposable
{
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly ResultHandle _result;
    private readonly DuckDbStatement? _ownedStatement;
    private readonly DuckDbColumn[] _columns;
    private readonly DuckDbType[] _storage;
    private readonly string[]?[] _enumValues;
    private readonly IntPtr[] _data;
    private readonly IntPtr[] _validity;
    private ChunkHandle? _chunk;
    private int _chunkSize;
    private int _row;
    private bool _done;

    internal DuckDbReader(ResultHandle result, DuckDbStatement? ownedStatement)
    {
        _result = result;
        _ownedStatement = ownedStatement;
        var count = (int)DuckDbNative.ColumnCount(result.Pointer);
        _columns = new DuckDbColumn[count];
        _storage = new DuckDbType[count];
        _enumValues = new string[]?[count];
        _data = new IntPtr[count];
        _validity = new IntPtr[count];
        for (var i = 0; i < count; i++)
        {
            var name = DuckDbNative.Text(DuckDbNative.ColumnName(result.Pointer, (ulong)i)) ?? "";
            using var type = new LogicalType(DuckDbNative.ColumnLogicalType(result.Pointer, (ulong)i));
            var id = (DuckDbType)DuckDbNative.TypeId(type.Pointer);
            _storage[i] = id;
            if (id == DuckDbType.Decimal)
            {
                int width = DuckDbNative.DecimalWidth(type.Pointer), scale = DuckDbNative.DecimalScale(type.Pointer);
                _storage[i] = (DuckDbType)DuckDbNative.DecimalInternalType(type.Pointer);
                _columns[i] = new DuckDbColumn(name, id, DuckDbColumn.NameOf(id, width, scale), width, scale);
                continue;
            }

            if (id == DuckDbType.Enum)
            {
                _storage[i] = (DuckDbType)DuckDbNative.EnumInternalType(type.Pointer);
                _enumValues[i] = EnumDictionary(type.Pointer);
            }

            _columns[i] = new DuckDbColumn(name, id, DuckDbColumn.NameOf(id));
        }
    }

    public IReadOnlyList<DuckDbColumn> Columns => _columns;

    public int FieldCount => _columns.Length;

    public string GetName(int i) => _columns[i].Name;

    public string GetTypeName(int i) => _columns[i].TypeName;

    public DuckDbType GetColumnType(int i) => _columns[i].Type;

    /// <summary>Advances to the next row; false at the end. A query error found while streaming throws here.</summary>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_result.IsClosed, this);
        if (_done)
        {
            return false;
        }

        _row++;
        while (_chunk is null || _row >= _chunkSize)
        {
            _chunk?.Dispose();
            _chunk = null;
            var raw = DuckDbNative.FetchChunk(*_result.Pointer);
            if (raw == IntPtr.Zero)
            {
                _done = true;
                var error = DuckDbNative.Text(DuckDbNative.ResultError(_result.Pointer));
                if (error is not null)
                {
                    throw new DuckDbException(error);
                }

                return false;
            }

            _chunk = new ChunkHandle(raw);
            _chunkSize = (int)DuckDbNative.ChunkSize(raw);
            _row = 0;
            for (var c = 0; c < _columns.Length; c++)
            {
                var vector = DuckDbNative.ChunkVector(raw, (ulong)c);
                _data[c] = (IntPtr)DuckDbNative.VectorData(vector);
                _validity[c] = (IntPtr)DuckDbNative.VectorValidity(vector);
            }
        }

        return true;
    }

    public bool IsNull(int i)
    {
        CheckRow();
        if (_columns[i].Type == DuckDbType.SqlNull)
        {
            return true;
        }

        var validity = (ulong*)_validity[i];
        return validity is not null && (validity[_row >> 6] & (1UL << (_row & 63))) == 0;
    }

    public bool GetBoolean(int i) => _columns[i].Type == DuckDbType.Boolean
        ? *(byte*)Element(i, 1) != 0
        : throw Mismatch(i, "bool");

    /// <summary>Any integer column (and DECIMAL with scale 0) whose value fits in a long.</summary>
    public long GetInt64(int i)
    {
        try
        {
            return checked((long)GetInt128(i));
        }
        catch (OverflowException ex)
        {
            throw new InvalidCastException($"column '{GetName(i)}': {GetString(i)} does not fit in a long", ex);
        }
    }

    /// <summary>Any integer column up to HUGEINT/UHUGEINT (checked), and DECIMAL with scale 0.</summary>
    public Int128 GetInt128(int i)
    {
        var column = _columns[i];
        return column.Type switch
        {
            DuckDbType.TinyInt => *(sbyte*)Element(i, 1),
            DuckDbType.SmallInt => *(short*)Element(i, 2),
            DuckDbType.Integer => *(int*)Element(i, 4),
            DuckDbType.BigInt => *(long*)Element(i, 8),
            DuckDbType.UTinyInt => *(byte*)Element(i, 1),
            DuckDbType.USmallInt => *(ushort*)Element(i, 2),
            DuckDbType.UInteger => *(uint*)Element(i, 4),
            DuckDbType.UBigInt => *(ulong*)Element(i, 8),
            DuckDbType.HugeInt => HugeInt(Element(i, 16)),
            DuckDbType.UHugeInt => UHugeIntChecked(i),
            DuckDbType.Decimal when column.Scale == 0 => Unscaled(i),
            _ => throw Mismatch(i, "integer"),
        };
    }

    /// <summary>FLOAT/DOUBLE, and integers (exact up to 2^53). DECIMAL is refused: read it exactly with GetDecimal.</summary>
    public double GetDouble(int i) => _columns[i].Type switch
    {
        DuckDbType.Double => *(double*)Element(i, 8),
        DuckDbType.Float => *(float*)Element(i, 4),
        DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
            or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.UBigInt
            or DuckDbType.HugeInt => (double)GetInt128(i),
        _ => throw Mismatch(i, "double"),
    };

    /// <summary>
    /// DECIMAL of any width (exact; throws <see cref="DuckDbException"/> for a value a C# decimal cannot
    /// hold exactly) and integer columns. FLOAT/DOUBLE are refused: they are not exact.
    /// </summary>
    public decimal GetDecimal(int i)
    {
        var column = _columns[i];
        if (column.Type == DuckDbType.Decimal)
        {
            return DuckDbDecimal.ToDecimal(Unscaled(i), column.Scale);
        }

        var integer = GetInt128(i);
        return DuckDbDecimal.ToDecimal(integer, 0);
    }

    /// <summary>
    /// VARCHAR as is; any other supported type as exact invariant text: DECIMAL with all its scale
    /// digits ("1.500"), timestamps as ISO 8601 ("2024-07-03T09:46:40.123Z" for TIMESTAMPTZ), dates
    /// "yyyy-MM-dd", BLOB with \xNN escapes, UUID in 8-4-4-4-12 form.
    /// </summary>
    public string GetString(int i)
    {
        var column = _columns[i];
        switch (column.Type)
        {
            case DuckDbType.Varchar:
                return Encoding.UTF8.GetString(NativeString.Bytes((NativeString*)Element(i, 16)));
            case DuckDbType.Enum:
                return _enumValues[i]![(int)EnumIndex(i)];
            case DuckDbType.Boolean:
                return GetBoolean(i) ? "true" : "false";
            case DuckDbType.Float:
                return (*(float*)Element(i, 4)).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Double:
                return (*(double*)Element(i, 8)).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Decimal:
                return DuckDbDecimal.Format(Unscaled(i), column.Scale);
            case DuckDbType.UHugeInt:
                return UHugeInt(Element(i, 16)).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
                or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.UBigInt
                or DuckDbType.HugeInt:
                return GetInt128(i).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs
                or DuckDbType.TimestampTz:
                return TimestampText(i);
            case DuckDbType.Date:
                return DateText(*(int*)Element(i, 4));
            case DuckDbType.Time:
                return TimeOnly.FromTimeSpan(TimeSpan.FromMicroseconds(*(long*)Element(i, 8)))
                    .ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
            case DuckDbType.Interval:
                var interval = (int*)Element(i, 16);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{interval[0]} months {interval[1]} days {TimeSpan.FromMicroseconds(*(long*)(interval + 2))}");
            case DuckDbType.Uuid:
                return GetGuid(i).ToString();
            case DuckDbType.Blob:
                return BlobText(NativeString.Bytes((NativeString*)Element(i, 16)));
            default:
                throw Mismatch(i, "string");
        }
    }

    /// <summary>The UTF-8 bytes of a VARCHAR (or BLOB) value, valid until the next <see cref="Read"/>; no allocation.</summary>
    public ReadOnlySpan<byte> GetUtf8(int i) => _columns[i].Type is DuckDbType.Varchar or DuckDbType.Blob
        ? NativeString.Bytes((NativeString*)Element(i, 16))
        : throw Mismatch(i, "UTF-8 bytes");

    /// <summary>TIMESTAMP (any unit) and TIMESTAMPTZ as a UTC <see cref="DateTime"/> (nanoseconds truncated to 100 ns).</summary>
    public DateTime GetDateTime(int i) => _columns[i].Type switch
    {
        DuckDbType.Timestamp or DuckDbType.TimestampTz => FromTicks(i, Raw64(i), TimeSpan.TicksPerMicrosecond),
        DuckDbType.TimestampS => FromTicks(i, Raw64(i), TimeSpan.TicksPerSecond),
        DuckDbType.TimestampMs => FromTicks(i, Raw64(i), TimeSpan.TicksPerMillisecond),
        DuckDbType.TimestampNs => FromTicks(i, Raw64(i) / 100, 1),
        DuckDbType.Date => GetDate(i).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        _ => throw Mismatch(i, "DateTime"),
    };

    public DateTimeOffset GetDateTimeOffset(int i) => new(GetDateTime(i), TimeSpan.Zero);

    public DateOnly GetDate(int i)
    {
        if (_columns[i].Type != DuckDbType.Date)
        {
            throw Mismatch(i, "DateOnly");
        }

        var days = *(int*)Element(i, 4);
        try
        {
            return DateOnly.FromDayNumber(checked(UnixEpochDay + days));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidCastException($"column '{GetName(i)}': {DateText(days)} is outside DateOnly's range", ex);
        }
    }

    public Guid GetGuid(int i)
    {
        if (_columns[i].Type != DuckDbType.Uuid)
        {
            throw Mismatch(i, "Guid");
        }

        // DuckDB stores a UUID as a hugeint with the top bit flipped (so it sorts as unsigned).
        var element = (ulong*)Element(i, 16);
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, element[1] ^ 0x8000_0000_0000_0000UL);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], element[0]);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// The value as a CLR object: null for NULL; bool, sbyte..long, byte..ulong, Int128/UInt128,
    /// float, double, decimal (exact; throws when it cannot be), string, byte[], DateTime (UTC),
    /// DateTimeOffset (TIMESTAMPTZ), DateOnly, TimeOnly, Guid; INTERVAL as its text.
    /// </summary>
    public object? GetValue(int i)
    {
        if (IsNull(i))
        {
            return null;
        }

        return _columns[i].Type switch
        {
            DuckDbType.Boolean => GetBoolean(i),
            DuckDbType.TinyInt => *(sbyte*)Element(i, 1),
            DuckDbType.SmallInt => *(short*)Element(i, 2),
            DuckDbType.Integer => *(int*)Element(i, 4),
            DuckDbType.BigInt => *(long*)Element(i, 8),
            DuckDbType.UTinyInt => *(byte*)Element(i, 1),
            DuckDbType.USmallInt => *(ushort*)Element(i, 2),
            DuckDbType.UInteger => *(uint*)Element(i, 4),
            DuckDbType.UBigInt => *(ulong*)Element(i, 8),
            DuckDbType.HugeInt => HugeInt(Element(i, 16)),
            DuckDbType.UHugeInt => UHugeInt(Element(i, 16)),
            DuckDbType.Float => *(float*)Element(i, 4),
            DuckDbType.Double => *(double*)Element(i, 8),
            DuckDbType.Decimal => GetDecimal(i),
            DuckDbType.Varchar or DuckDbType.Enum or DuckDbType.Interval => GetString(i),
            DuckDbType.Blob => GetUtf8(i).ToArray(),
            DuckDbType.TimestampTz => GetDateTimeOffset(i),
            DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs => GetDateTime(i),
            DuckDbType.Date => GetDate(i),
            DuckDbType.Time => TimeOnly.FromTimeSpan(TimeSpan.FromMicroseconds(*(long*)Element(i, 8))),
            DuckDbType.Uuid => GetGuid(i),
            _ => throw Mismatch(i, "a CLR value"),
        };
    }

    /// <summary>Typed access by CLR type (long, int, double, decimal, bool, string, DateTime, ...); NULL gives default.</summary>
    public T? Get<T>(int i)
    {
        if (IsNull(i))
        {
            return default;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object value = target == typeof(long) ? GetInt64(i)
            : target == typeof(int) ? checked((int)GetInt64(i))
            : target == typeof(Int128) ? GetInt128(i)
            : target == typeof(double) ? GetDouble(i)
            : target == typeof(decimal) ? GetDecimal(i)
            : target == typeof(bool) ? GetBoolean(i)
            : target == typeof(string) ? GetString(i)
            : target == typeof(DateTime) ? GetDateTime(i)
            : target == typeof(DateTimeOffset) ? GetDateTimeOffset(i)
            : target == typeof(DateOnly) ? GetDate(i)
            : target == typeof(Guid) ? GetGuid(i)
            : target == typeof(object) ? GetValue(i)!
            : throw new InvalidCastException($"column '{GetName(i)}': reading as {typeof(T).Name} is not supported");
        return (T)value;
    }

    public void Dispose()
    {
        _chunk?.Dispose();
        _chunk = null;
        _result.Dispose();
        _ownedStatement?.Dispose();
    }

    private void CheckRow()
    {
        ObjectDisposedException.ThrowIf(_result.IsClosed, this);
        if (_chunk is null)
        {
            throw new InvalidOperationException(_done ? "no current row: the reader is at the end" : "no current row: call Read() first");
        }
    }

    private byte* Element(int i, int size)
    {
        if (IsNull(i))
        {
            throw new InvalidOperationException($"column '{GetName(i)}' is NULL in this row (check IsNull first)");
        }

        return (byte*)_data[i] + ((nint)_row * size);
    }

    private long Raw64(int i) => *(long*)Element(i, 8);

    private Int128 Unscaled(int i) => _storage[i] switch
    {
        DuckDbType.SmallInt => *(short*)Element(i, 2),
        DuckDbType.Integer => *(int*)Element(i, 4),
        DuckDbType.BigInt => *(long*)Element(i, 8),
        DuckDbType.HugeInt => HugeInt(Element(i, 16)),
        _ => throw new DuckDbException($"column '{GetName(i)}': unexpected DECIMAL storage {_storage[i]}"),
    };

    private uint EnumIndex(int i) => _storage[i] switch
    {
        DuckDbType.UTinyInt => *(byte*)Element(i, 1),
        DuckDbType.USmallInt => *(ushort*)Element(i, 2),
        _ => *(uint*)Element(i, 4),
    };

    private Int128 UHugeIntChecked(int i)
    {
        var value = UHugeInt(Element(i, 16));
        return value <= (UInt128)Int128.MaxValue
            ? (Int128)value
            : throw new InvalidCastException($"column '{GetName(i)}': {value} does not fit in an Int128");
    }

    private static Int128 HugeInt(byte* element) => new((ulong)((long*)element)[1], ((ulong*)element)[0]);

    private static UInt128 UHugeInt(byte* element) => new(((ulong*)element)[1], ((ulong*)element)[0]);

    private DateTime FromTicks(int i, long value, long ticksPerUnit)
    {
        try
        {
            return new DateTime(checked(DateTime.UnixEpoch.Ticks + (value * ticksPerUnit)), DateTimeKind.Utc);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidCastException($"column '{GetName(i)}': the timestamp {value} is outside DateTime's range", ex);
        }
    }

    private string TimestampText(int i)
    {
        var raw = *(long*)Element(i, 8);
        if (raw is long.MaxValue or -long.MaxValue)
        {
            return raw > 0 ? "infinity" : "-infinity";
        }

        var type = _columns[i].Type;
        var time = GetDateTime(i);
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = type switch
        {
            DuckDbType.TimestampNs => ((raw % 1_000_000_000) + 1_000_000_000) % 1_000_000_000,
            DuckDbType.TimestampS => 0,
            _ => (time.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerMicrosecond,
        };
        if (fraction != 0)
        {
            var digits = type == DuckDbType.TimestampNs ? 9 : 6;
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        }

        return type == DuckDbType.TimestampTz ? text + "Z" : text;
    }

    private static string DateText(int days)
    {
        var day = (long)UnixEpochDay + days;
        return day is >= 0 and <= 3652058 // DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber((int)day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : days == int.MaxValue ? "infinity" : days == -int.MaxValue ? "-infinity"
            : days.ToString(CultureInfo.InvariantCulture) + " days after 1970-01-01";
    }

    private static string BlobText(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b != '\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        return text.ToString();
    }

    private InvalidCastException Mismatch(int i, string wanted) =>
        new($"column '{GetName(i)}' is {GetTypeName(i)}; it cannot be read as {wanted}");

    private static string[] EnumDictionary(IntPtr type)
    {
        var size = DuckDbNative.EnumDictionarySize(type);
        var values = new string[size];
        for (var k = 0u; k < size; k++)
        {
            var text = DuckDbNative.EnumDictionaryValue(type, k);
            values[k] = DuckDbNative.Text(text) ?? "";
            DuckDbNative.Free(text);
        }

        return values;
    }
}
