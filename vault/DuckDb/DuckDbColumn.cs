namespace Pipeline.Vault.DuckDb;

/// <summary>One result column: its name, type id, SQL type name, and (DECIMAL only) width and scale.</summary>
public sealed record DuckDbColumn(string Name, DuckDbType Type, string TypeName, int Width = 0, int Scale = 0)
{
    /// <summary>True for the types <see cref="DuckDbReader"/> decodes; others need a cast to VARCHAR in SQL.</summary>
    public bool IsSupported => Type is not (DuckDbType.Invalid or DuckDbType.List or DuckDbType.Struct
        or DuckDbType.Map or DuckDbType.Union or DuckDbType.Bit or DuckDbType.TimeTz or DuckDbType.Array
        or DuckDbType.Any or DuckDbType.BigNum) && (int)Type <= (int)DuckDbType.SqlNull;

    /// <summary>Numbers (right-aligned in tables, bare in JSON).</summary>
    public bool IsNumeric => Type is DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer
        or DuckDbType.BigInt or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger
        or DuckDbType.UBigInt or DuckDbType.HugeInt or DuckDbType.UHugeInt or DuckDbType.Float
        or DuckDbType.Double or DuckDbType.Decimal;

    /// <summary>The SQL name DuckDB uses for a type id (DECIMAL gets its width and scale).</summary>
    public static string NameOf(DuckDbType type, int width = 0, int scale = 0) => type switch
    {
        DuckDbType.Boolean => "BOOLEAN",
        DuckDbType.TinyInt => "TINYINT",
        DuckDbType.SmallInt => "SMALLINT",
        DuckDbType.Integer => "INTEGER",
        DuckDbType.BigInt => "BIGINT",
        DuckDbType.UTinyInt => "UTINYINT",
        DuckDbType.USmallInt => "USMALLINT",
        DuckDbType.UInteger => "UINTEGER",
        DuckDbType.UBigInt => "UBIGINT",
        DuckDbType.Float => "FLOAT",
        DuckDbType.Double => "DOUBLE",
        DuckDbType.Timestamp => "TIMESTAMP",
        DuckDbType.Date => "DATE",
        DuckDbType.Time => "TIME",
        DuckDbType.Interval => "INTERVAL",
        DuckDbType.HugeInt => "HUGEINT",
        DuckDbType.UHugeInt => "UHUGEINT",
        DuckDbType.Varchar => "VARCHAR",
        DuckDbType.Blob => "BLOB",
        DuckDbType.Decimal => $"DECIMAL({width},{scale})",
        DuckDbType.TimestampS => "TIMESTAMP_S",
        DuckDbType.TimestampMs => "TIMESTAMP_MS",
        DuckDbType.TimestampNs => "TIMESTAMP_NS",
        DuckDbType.Enum => "ENUM",
        DuckDbType.List => "LIST",
        DuckDbType.Struct => "STRUCT",
        DuckDbType.Map => "MAP",
        DuckDbType.Array => "ARRAY",
        DuckDbType.Uuid => "UUID",
        DuckDbType.Union => "UNION",
        DuckDbType.Bit => "BIT",
        DuckDbType.TimeTz => "TIME WITH TIME ZONE",
        DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.SqlNull => "NULL",
        _ => "TYPE " + (int)type,
    };
}
