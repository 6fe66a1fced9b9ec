using System.Globalization;
using System.Numerics;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// Forward-only rows of a streamed DuckDB.NET result (<see cref="DuckDBCommand.UseStreamingMode"/>: one
/// chunk alive at a time, so memory stays flat however large the result), read exactly: DECIMAL goes
/// through <see cref="DuckDBDecimal"/> (its unscaled integer), never DuckDB.NET's <c>GetDecimal</c>, which
/// silently rounds past 28 significant digits; a value a C# decimal cannot hold exactly throws, its text
/// (<see cref="GetString"/>) is always exact. Getters throw <see cref="InvalidOperationException"/> on NULL
/// (check <see cref="IsNull"/>) and <see cref="InvalidCastException"/> when the type does not convert exactly.
/// </summary>
public sealed class DuckDbReader : IDisposable
{
    private readonly DuckDBCommand _command;
    private readonly DuckDBDataReader _reader;
    private readonly DuckDbColumn[] _columns;
    private readonly byte[][] _utf8;
    private bool _onRow;
    private bool _done;
    private bool _disposed;

    internal DuckDbReader(DuckDBCommand command, DuckDBDataReader reader)
    {
        _command = command;
        _reader = reader;
        _columns = new DuckDbColumn[reader.FieldCount];
        _utf8 = new byte[reader.FieldCount][];
        System.Data.DataTable? schema = null;
        for (var i = 0; i < _columns.Length; i++)
        {
            var type = TypeOf(reader.GetDataTypeName(i));
            if (type == DuckDbType.Decimal)
            {
                schema ??= reader.GetSchemaTable();
                var row = schema.Rows[i];
                var width = System.Convert.ToInt32(row["NumericPrecision"], CultureInfo.InvariantCulture);
                var scale = System.Convert.ToInt32(row["NumericScale"], CultureInfo.InvariantCulture);
                _columns[i] = new DuckDbColumn(reader.GetName(i), type, DuckDbColumn.NameOf(type, width, scale), width, scale);
            }
            else
            {
                _columns[i] = new DuckDbColumn(reader.GetName(i), type, DuckDbColumn.NameOf(type));
            }
        }
    }

    /// <summary>Whether a DECIMAL column's width/scale is unknown (DuckDB.NET reports 0 for an empty result).</summary>
    internal bool LacksDecimalTypes => _columns.Any(c => c is { Type: DuckDbType.Decimal, Width: 0 });

    /// <summary>Takes DECIMAL widths and scales from DuckDB's type names ("DECIMAL(38,18)"), column by column.</summary>
    internal void SetDecimalTypes(IReadOnlyList<string> typeNames)
    {
        for (var i = 0; i < _columns.Length && i < typeNames.Count; i++)
        {
            var name = typeNames[i];
            if (_columns[i].Type != DuckDbType.Decimal || !name.StartsWith("DECIMAL(", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = name["DECIMAL(".Length..^1].Split(',');
            var width = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var scale = int.Parse(parts[1], CultureInfo.InvariantCulture);
            _columns[i] = _columns[i] with { TypeName = DuckDbColumn.NameOf(DuckDbType.Decimal, width, scale), Width = width, Scale = scale };
        }
    }

    /// <summary>The DuckDB.NET reader underneath (for ADO.NET code; its GetDecimal rounds past 28 digits).</summary>
    public DuckDBDataReader Ado => _reader;

    public IReadOnlyList<DuckDbColumn> Columns => _columns;

    public int FieldCount => _columns.Length;

    public string GetName(int i) => _columns[i].Name;

    public string GetTypeName(int i) => _columns[i].TypeName;

    public DuckDbType GetColumnType(int i) => _columns[i].Type;

    /// <summary>Advances to the next row; false at the end. A query error found while streaming throws here.</summary>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_done)
        {
            return false;
        }

        try
        {
            _onRow = _reader.Read();
        }
        catch (DuckDBException ex)
        {
            _onRow = false;
            _done = true;
            throw new DuckDbException(ex.Message, ex);
        }

        _done = !_onRow;
        return _onRow;
    }

    public bool IsNull(int i)
    {
        CheckRow();
        return _reader.IsDBNull(i);
    }

    public bool GetBoolean(int i) => _columns[i].Type == DuckDbType.Boolean
        ? Checked(i).GetBoolean(i)
        : throw Mismatch(i, "bool");

    /// <summary>Any integer column (and DECIMAL with scale 0) whose value fits in a long.</summary>
    public long GetInt64(int i)
    {
        if (_columns[i].Type == DuckDbType.BigInt)
        {
            return Checked(i).GetInt64(i); // the hot path: no Int128 round trip
        }

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
            DuckDbType.TinyInt => Checked(i).GetFieldValue<sbyte>(i),
            DuckDbType.SmallInt => Checked(i).GetFieldValue<short>(i),
            DuckDbType.Integer => Checked(i).GetFieldValue<int>(i),
            DuckDbType.BigInt => Checked(i).GetFieldValue<long>(i),
            DuckDbType.UTinyInt => Checked(i).GetFieldValue<byte>(i),
            DuckDbType.USmallInt => Checked(i).GetFieldValue<ushort>(i),
            DuckDbType.UInteger => Checked(i).GetFieldValue<uint>(i),
            DuckDbType.UBigInt => Checked(i).GetFieldValue<ulong>(i),
            DuckDbType.HugeInt or DuckDbType.UHugeInt => ToInt128(i, Checked(i).GetFieldValue<BigInteger>(i)),
            DuckDbType.Decimal when column.Scale == 0 => Unscaled(i),
            _ => throw Mismatch(i, "integer"),
        };
    }

    /// <summary>FLOAT/DOUBLE, and integers (exact up to 2^53). DECIMAL is refused: read it exactly with GetDecimal.</summary>
    public double GetDouble(int i) => _columns[i].Type switch
    {
        DuckDbType.Double => Checked(i).GetDouble(i),
        DuckDbType.Float => Checked(i).GetFloat(i),
        DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
            or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.UBigInt
            or DuckDbType.HugeInt => (double)GetInt128(i),
        _ => throw Mismatch(i, "double"),
    };

    /// <summary>
    /// DECIMAL of any width (exact; throws <see cref="DuckDbException"/> for a value a C# decimal cannot
    /// hold exactly, never rounds) and integer columns. FLOAT/DOUBLE are refused: they are not exact.
    /// </summary>
    public decimal GetDecimal(int i)
    {
        var column = _columns[i];
        return column.Type == DuckDbType.Decimal
            ? DuckDbDecimal.ToDecimal(Unscaled(i), column.Scale)
            : DuckDbDecimal.ToDecimal(GetInt128(i), 0);
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
            case DuckDbType.Varchar or DuckDbType.Enum:
                return Checked(i).GetString(i);
            case DuckDbType.Boolean:
                return GetBoolean(i) ? "true" : "false";
            case DuckDbType.Float:
                return Checked(i).GetFloat(i).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Double:
                return Checked(i).GetDouble(i).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Decimal:
                return DuckDbDecimal.Format(Unscaled(i), column.Scale);
            case DuckDbType.UHugeInt:
                return Checked(i).GetFieldValue<BigInteger>(i).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
                or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.UBigInt
                or DuckDbType.HugeInt:
                return GetInt128(i).ToString(CultureInfo.InvariantCulture);
            case DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs
                or DuckDbType.TimestampTz:
                return TimestampText(i);
            case DuckDbType.Date:
                return GetDate(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DuckDbType.Time:
                return GetTime(i).ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
            case DuckDbType.Interval:
                var interval = Checked(i).GetFieldValue<DuckDBInterval>(i);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{interval.Months} months {interval.Days} days {TimeSpan.FromMicroseconds((long)interval.Micros)}");
            case DuckDbType.Uuid:
                return GetGuid(i).ToString();
            case DuckDbType.Blob:
                return BlobText(GetUtf8(i));
            default:
                throw Mismatch(i, "string");
        }
    }

    /// <summary>The UTF-8 bytes of a VARCHAR (or BLOB) value, valid until the next call for this column or <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> GetUtf8(int i)
    {
        var type = _columns[i].Type;
        if (type is DuckDbType.Varchar or DuckDbType.Enum)
        {
            var text = Checked(i).GetString(i);
            var buffer = Scratch(i, Encoding.UTF8.GetMaxByteCount(text.Length));
            return buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer));
        }

        if (type == DuckDbType.Blob)
        {
            using var stream = Checked(i).GetStream(i);
            var buffer = Scratch(i, checked((int)stream.Length));
            stream.ReadExactly(buffer, 0, (int)stream.Length);
            return buffer.AsSpan(0, (int)stream.Length);
        }

        throw Mismatch(i, "UTF-8 bytes");
    }

    /// <summary>TIMESTAMP (any unit) and TIMESTAMPTZ as a UTC <see cref="DateTime"/> (nanoseconds truncated to 100 ns).</summary>
    public DateTime GetDateTime(int i) => _columns[i].Type switch
    {
        DuckDbType.Timestamp or DuckDbType.TimestampTz or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs =>
            DateTime.SpecifyKind(Within(i, () => _reader.GetDateTime(i), "DateTime"), DateTimeKind.Utc),
        DuckDbType.Date => GetDate(i).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        _ => throw Mismatch(i, "DateTime"),
    };

    public DateTimeOffset GetDateTimeOffset(int i) => new(GetDateTime(i), TimeSpan.Zero);

    public DateOnly GetDate(int i) => _columns[i].Type == DuckDbType.Date
        ? Within(i, () => _reader.GetFieldValue<DateOnly>(i), "DateOnly")
        : throw Mismatch(i, "DateOnly");

    public Guid GetGuid(int i) => _columns[i].Type == DuckDbType.Uuid ? Checked(i).GetGuid(i) : throw Mismatch(i, "Guid");

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
            DuckDbType.TinyInt => _reader.GetFieldValue<sbyte>(i),
            DuckDbType.SmallInt => _reader.GetFieldValue<short>(i),
            DuckDbType.Integer => _reader.GetFieldValue<int>(i),
            DuckDbType.BigInt => _reader.GetFieldValue<long>(i),
            DuckDbType.UTinyInt => _reader.GetFieldValue<byte>(i),
            DuckDbType.USmallInt => _reader.GetFieldValue<ushort>(i),
            DuckDbType.UInteger => _reader.GetFieldValue<uint>(i),
            DuckDbType.UBigInt => _reader.GetFieldValue<ulong>(i),
            DuckDbType.HugeInt => GetInt128(i),
            DuckDbType.UHugeInt => (UInt128)_reader.GetFieldValue<BigInteger>(i),
            DuckDbType.Float => _reader.GetFloat(i),
            DuckDbType.Double => _reader.GetDouble(i),
            DuckDbType.Decimal => GetDecimal(i),
            DuckDbType.Varchar or DuckDbType.Enum or DuckDbType.Interval => GetString(i),
            DuckDbType.Blob => GetUtf8(i).ToArray(),
            DuckDbType.TimestampTz => GetDateTimeOffset(i),
            DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs => GetDateTime(i),
            DuckDbType.Date => GetDate(i),
            DuckDbType.Time => GetTime(i),
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
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _reader.Dispose();
        _command.Dispose();
    }

    /// <summary>DuckDB.NET's type name (its DuckDBType member) as the vault's type id.</summary>
    private static DuckDbType TypeOf(string name) => Enum.TryParse<DuckDBType>(name, out var type)
        ? type switch
        {
            DuckDBType.UnsignedTinyInt => DuckDbType.UTinyInt,
            DuckDBType.UnsignedSmallInt => DuckDbType.USmallInt,
            DuckDBType.UnsignedInteger => DuckDbType.UInteger,
            DuckDBType.UnsignedBigInt => DuckDbType.UBigInt,
            DuckDBType.UnsignedHugeInt => DuckDbType.UHugeInt,
            DuckDBType.VarInt => DuckDbType.BigNum,
            _ => Enum.TryParse<DuckDbType>(type.ToString(), out var same) ? same : DuckDbType.Invalid,
        }
        : DuckDbType.Invalid;

    private TimeOnly GetTime(int i) => _columns[i].Type == DuckDbType.Time
        ? Within(i, () => _reader.GetFieldValue<TimeOnly>(i), "TimeOnly")
        : throw Mismatch(i, "TimeOnly");

    private void CheckRow()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_onRow)
        {
            throw new InvalidOperationException(_done ? "no current row: the reader is at the end" : "no current row: call Read() first");
        }
    }

    /// <summary>The reader, positioned on a row where column <paramref name="i"/> is not NULL (no delegate, no allocation).</summary>
    private DuckDBDataReader Checked(int i) => IsNull(i)
        ? throw new InvalidOperationException($"column '{GetName(i)}' is NULL in this row (check IsNull first)")
        : _reader;

    private T Within<T>(int i, Func<T> read, string wanted)
    {
        if (IsNull(i))
        {
            throw new InvalidOperationException($"column '{GetName(i)}' is NULL in this row (check IsNull first)");
        }

        try
        {
            return read();
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException or InvalidCastException or InvalidOperationException)
        {
            // e.g. 'infinity' or a year past 9999: DuckDB's own text is still exact.
            throw new InvalidCastException($"column '{GetName(i)}': the value is outside {wanted}'s range", ex);
        }
    }

    /// <summary>A DECIMAL's unscaled integer, exactly (DuckDB.NET's DuckDBDecimal, not its rounding GetDecimal).</summary>
    private Int128 Unscaled(int i) => Checked(i).GetFieldValue<DuckDBDecimal>(i).Value.ToInt128();

    private Int128 ToInt128(int i, BigInteger value) =>
        value >= (BigInteger)Int128.MinValue && value <= (BigInteger)Int128.MaxValue
            ? (Int128)value
            : throw new InvalidCastException($"column '{GetName(i)}': {value} does not fit in an Int128");

    private byte[] Scratch(int i, int size)
    {
        var buffer = _utf8[i];
        if (buffer is null || buffer.Length < size)
        {
            buffer = _utf8[i] = new byte[Math.Max(size, 64)];
        }

        return buffer;
    }

    private string TimestampText(int i)
    {
        var type = _columns[i].Type;
        var time = GetDateTime(i);
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = type == DuckDbType.TimestampS ? 0 : time.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            var digits = type == DuckDbType.TimestampNs ? 7 : 6;
            var value = type == DuckDbType.TimestampNs ? fraction : fraction / TimeSpan.TicksPerMicrosecond;
            text += "." + value.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        }

        return type == DuckDbType.TimestampTz ? text + "Z" : text;
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
}
