using DuckDB.NET.Data;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The vault's small front over DuckDB.NET's ADO.NET provider: <see cref="Execute"/> for statements,
/// <see cref="Query"/> for streamed rows read exactly (<see cref="DuckDbReader"/>), <see cref="Scalar{T}"/>
/// for one value. DuckDB.NET's own errors surface as <see cref="DuckDbException"/> with DuckDB's message.
/// One statement at a time: starting a query invalidates a reader still open on the same connection.
/// <see cref="Ado"/> is the underlying <see cref="DuckDBConnection"/> for anything beyond this.
/// </summary>
public sealed class DuckDbConnection : IDisposable
{
    private readonly DuckDBConnection _connection;

    private DuckDbConnection(DuckDBConnection connection) => _connection = connection;

    /// <summary>The ADO.NET connection itself.</summary>
    public DuckDBConnection Ado
    {
        get
        {
            ObjectDisposedException.ThrowIf(_connection.State == System.Data.ConnectionState.Closed, this);
            return _connection;
        }
    }

    /// <summary>A connection to a new in-memory database (start-up settings: name → value, as for <c>SET</c>).</summary>
    public static DuckDbConnection OpenInMemory(IReadOnlyDictionary<string, string>? settings = null) => Open(null, settings);

    /// <summary>Opens (or creates) the database file at <paramref name="path"/>, or a new in-memory one when null.</summary>
    public static DuckDbConnection Open(string? path, IReadOnlyDictionary<string, string>? settings = null)
    {
        DuckDBConnection? connection = null;
        try
        {
            var builder = new DuckDBConnectionStringBuilder { DataSource = path ?? DuckDBConnectionStringBuilder.InMemoryDataSource };
            var empty = new List<string>();
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                if (value.Length == 0)
                {
                    empty.Add(name); // a connection string drops an empty value: SET it right after opening instead
                }
                else
                {
                    builder[name] = value;
                }
            }

            connection = new DuckDBConnection(builder.ConnectionString);
            connection.Open();
            var opened = new DuckDbConnection(connection);
            foreach (var name in empty)
            {
                opened.Execute($"SET {name} = ''");
            }

            return opened;
        }
        catch (Exception ex) when (ex is DuckDBException or DuckDbException or ArgumentException or InvalidOperationException)
        {
            connection?.Dispose();
            throw new DuckDbException($"could not open DuckDB database '{path ?? ":memory:"}': {ex.Message}", ex);
        }
    }

    /// <summary>Runs one or more statements (separated by ';'); returns the rows changed.</summary>
    public long Execute(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        using var command = Command(sql, []);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (DuckDBException ex)
        {
            throw new DuckDbException(ex.Message, ex);
        }
    }

    /// <summary>
    /// Runs one statement with positional parameters (<c>?</c> or <c>$1</c>) and streams its rows chunk
    /// by chunk (DuckDB.NET's streaming mode: its default would materialise the whole result first).
    /// </summary>
    public DuckDbReader Query(string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = Command(sql, parameters);
        try
        {
            command.UseStreamingMode = true;
            var reader = new DuckDbReader(command, command.ExecuteReader());
            if (reader.LacksDecimalTypes)
            {
                // An empty result carries no DECIMAL width/scale through DuckDB.NET; DuckDB's DESCRIBE does
                // (the result is already complete, so running it here loses nothing).
                reader.SetDecimalTypes(DescribeTypes(sql, parameters));
            }

            return reader;
        }
        catch (DuckDBException ex)
        {
            command.Dispose();
            throw new DuckDbException(ex.Message, ex);
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="Query"/> for BIGINT/INTEGER and VARCHAR columns only, with nothing allocated per row
    /// (<see cref="DuckDbScan"/>); parameters are text or integers.
    /// </summary>
    public DuckDbScan Scan(string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        return new DuckDbScan(Ado.NativeConnection, sql, parameters);
    }

    /// <summary>The first column of the first row, or default when there is no row or it is NULL.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        using var reader = Query(sql, parameters);
        return reader.Read() ? reader.Get<T>(0) : default;
    }

    /// <summary>Asks the running statement to stop (from any thread); it then fails with "Interrupted".</summary>
    public void Interrupt()
    {
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            // DuckDB.NET's Cancel interrupts whatever runs on the command's connection (duckdb_interrupt).
            using var command = _connection.CreateCommand();
            command.Cancel();
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The SQL type name of every result column of <paramref name="sql"/>, in order.</summary>
    private List<string> DescribeTypes(string sql, object?[] parameters)
    {
        var types = new List<string>();
        using var command = Command("DESCRIBE " + sql, parameters);
        try
        {
            using var rows = command.ExecuteReader();
            var type = rows.GetOrdinal("column_type");
            while (rows.Read())
            {
                types.Add(rows.GetString(type));
            }
        }
        catch (DuckDBException ex)
        {
            throw new DuckDbException(ex.Message, ex);
        }

        return types;
    }

    private DuckDBCommand Command(string sql, object?[] parameters)
    {
        var command = Ado.CreateCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(value switch
            {
                null => DBNull.Value,
                // DateTime binds as TIMESTAMP in UTC (a local time is converted, as before).
                DateTime { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
                _ => value,
            }));
        }

        return command;
    }
}
