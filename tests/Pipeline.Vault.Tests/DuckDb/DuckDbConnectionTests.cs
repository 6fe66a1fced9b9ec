using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

public sealed class DuckDbConnectionTests
{
    [Fact]
    public void Query_Parameters_BindEveryKind()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query(
            "select ?::VARCHAR, ?::BIGINT, ?::DOUBLE, ?::DECIMAL(38,18), ?::BOOLEAN, ?::BIGINT, ?::TIMESTAMP, ?::TIMESTAMPTZ, ?::DATE, ?::VARCHAR",
            "héllo 'quoted'", long.MinValue, 2.5, 1234567890.123456789012345678m, true, null,
            new DateTime(2024, 7, 3, 9, 46, 40, 123, DateTimeKind.Utc),
            new DateTimeOffset(2024, 7, 3, 11, 46, 40, TimeSpan.FromHours(2)),
            new DateOnly(2024, 7, 3), "");
        Assert.True(reader.Read());
        Assert.Equal("héllo 'quoted'", reader.GetString(0));
        Assert.Equal(long.MinValue, reader.GetInt64(1));
        Assert.Equal(2.5, reader.GetDouble(2));
        Assert.Equal(1234567890.123456789012345678m, reader.GetDecimal(3));
        Assert.True(reader.GetBoolean(4));
        Assert.True(reader.IsNull(5));
        Assert.Equal(new DateTime(2024, 7, 3, 9, 46, 40, 123, DateTimeKind.Utc), reader.GetDateTime(6));
        Assert.Equal(new DateTimeOffset(2024, 7, 3, 9, 46, 40, TimeSpan.Zero), reader.GetDateTimeOffset(7));
        Assert.Equal(new DateOnly(2024, 7, 3), reader.GetDate(8));
        Assert.Equal("", reader.GetString(9));
    }

    [Theory]
    [InlineData("0.00000001")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("7.9228162514264337593543950335")]
    [InlineData("0")]
    public void Query_DecimalParameter_RoundTripsExactly(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        using var connection = DuckDbConnection.OpenInMemory();
        Assert.Equal(value, connection.Scalar<decimal>("select ?", value));
        Assert.Equal(text, connection.Scalar<string>("select ?::VARCHAR", value));
    }

    [Fact]
    public void Scalar_NoRowOrNull_IsDefault()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        Assert.Equal(0, connection.Scalar<long>("select 1 where false"));
        Assert.Null(connection.Scalar<long?>("select NULL::BIGINT"));
        Assert.Equal(3, connection.Scalar<int>("select 1 + 2"));
    }

    [Fact]
    public void Execute_MultipleStatements_ReturnsRowsChanged()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute("create table t (a BIGINT); insert into t values (1), (2)");
        Assert.Equal(2, connection.Execute("update t set a = a + 1"));
        Assert.Equal(5, connection.Scalar<long>("select sum(a) from t"));
    }

    [Fact]
    public void Query_BadSql_SurfacesDuckDbsMessage()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        var parse = Assert.Throws<DuckDbException>(() => connection.Query("selec 1"));
        Assert.Contains("Parser Error", parse.Message, StringComparison.Ordinal);
        var bind = Assert.Throws<DuckDbException>(() => connection.Execute("select * from no_such_table"));
        Assert.Contains("no_such_table", bind.Message, StringComparison.Ordinal);
        Assert.Contains("Catalog Error", bind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ErrorWhileStreaming_SurfacesDuckDbsMessage()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        var error = Assert.Throws<DuckDbException>(() =>
        {
            using var reader = connection.Query("select case when i = 50000 then error('boom at 50000') else i end from range(100000) t(i)");
            while (reader.Read())
            {
            }
        });
        Assert.Contains("boom at 50000", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, connection.Scalar<long>("select 7")); // the connection is still usable
    }

    [Fact]
    public void Read_MillionsOfRows_KeepsManagedMemoryBounded()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var reader = connection.Query("select i, 'trade-' || i::VARCHAR || '-with-a-long-suffix', (i::DECIMAL(20,0) * 0.01)::DECIMAL(38,18) from range(1500000) t(i)");
        long rows = 0, peak = 0;
        decimal sum = 0;
        while (reader.Read())
        {
            Assert.Equal(rows, reader.GetInt64(0));
            sum += reader.GetDecimal(2);
            if (reader.GetUtf8(1).Length < 10)
            {
                Assert.Fail("string too short");
            }

            if (++rows % 250_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(1_500_000, rows);
        Assert.Equal(1_500_000m * 1_499_999m / 2m / 100m, sum); // Σ i/100 for i < 1.5M, exact
        Assert.True(peak < 32 * 1024 * 1024, $"managed memory grew by {peak} bytes while streaming");
    }

    [Fact]
    public void Dispose_Twice_IsSafeAndUseAfterDisposeThrows()
    {
        var connection = DuckDbConnection.OpenInMemory();
        var reader = connection.Query("select 1");
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read());
        Assert.Equal(2, connection.Scalar<int>("select 2")); // a disposed reader leaves the connection usable
        connection.Dispose();
        connection.Dispose();
        Assert.Throws<ObjectDisposedException>(() => connection.Query("select 1"));
    }

    [Fact]
    public void Open_FileWithSettings_PersistsAndAppliesSettings()
    {
        using var dir = new TempDir();
        var path = dir.File("test.duckdb");
        using (var connection = DuckDbConnection.Open(path, new Dictionary<string, string> { ["threads"] = "1" }))
        {
            Assert.Equal("1", connection.Scalar<string>("select current_setting('threads')::VARCHAR"));
            connection.Execute("create table t as select 42 as a");
        }

        using var again = DuckDbConnection.OpenInMemory();
        again.Execute($"attach '{path}' as f (read_only)");
        Assert.Equal(42, again.Scalar<int>("select a from f.t"));
    }

    [Fact]
    public void Open_BadSetting_IsAClearError()
    {
        var error = Assert.Throws<DuckDbException>(() =>
            DuckDbConnection.OpenInMemory(new Dictionary<string, string> { ["no_such_setting"] = "1" }));
        Assert.Contains("no_such_setting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_Type_IsKnownBeforeRunning()
    {
        // The query session classifies text with DuckDB's parser before anything is prepared or run.
        using var connection = DuckDbConnection.OpenInMemory();
        Assert.Equal(("select 1", false), ReadOnlySql.Check(connection, "select 1"));
        var error = Assert.Throws<DuckDbException>(() => ReadOnlySql.Check(connection, "copy (select 1) to 'never-written.csv'"));
        Assert.Contains("COPY statements are not allowed", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("never-written.csv"));
    }

    [Fact]
    public void Query_SecondQueryOnSameConnection_InvalidatesTheFirstReaderCleanly()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var first = connection.Query("select i from range(100000) t(i)");
        Assert.True(first.Read());
        using (var second = connection.Query("select 2"))
        {
            Assert.True(second.Read());
            Assert.Equal(2, second.GetInt64(0));
        }

        // The rows of the first reader's current chunk are still there; past it, DuckDB reports the closed stream.
        var error = Assert.Throws<DuckDbException>(() =>
        {
            while (first.Read())
            {
            }
        });
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Scan_TextAndIntegers_ReadsEveryChunkWithoutAllocatingPerRow()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var scan = connection.Scan(
            "select i, case when i % 7 = 0 then NULL else 'trade-' || i::VARCHAR || '-with-a-long-suffix' end, ?::VARCHAR from range(?) t(i)",
            "é", 100_000L);
        long rows = 0, nulls = 0, length = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (scan.Read())
        {
            if (scan.GetInt64(0) != rows)
            {
                Assert.Fail($"row {rows} reads {scan.GetInt64(0)}"); // Assert.Equal itself would allocate per row
            }

            if (scan.IsNull(1))
            {
                nulls++;
            }
            else
            {
                length += scan.GetUtf8(1).Length;
            }

            if (!scan.GetUtf8(2).SequenceEqual("é"u8))
            {
                Assert.Fail("parameter text changed");
            }

            rows++;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(100_000, rows);
        Assert.Equal(14_286, nulls);
        Assert.True(length > 100_000 * 20);
        Assert.True(allocated < 256 * 1024, $"{allocated} bytes allocated scanning {rows} rows");
    }

    [Fact]
    public void Scan_ErrorWhileStreaming_SurfacesDuckDbsMessage()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        var error = Assert.Throws<DuckDbException>(() =>
        {
            using var scan = connection.Scan("select case when i = 50000 then error('boom at 50000') else i end from range(100000) t(i)");
            while (scan.Read())
            {
            }
        });
        Assert.Contains("boom at 50000", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCastException>(() =>
        {
            using var scan = connection.Scan("select 1.5::DOUBLE");
            Assert.True(scan.Read());
            scan.GetInt64(0);
        });
        Assert.Equal(7, connection.Scalar<long>("select 7")); // the connection is still usable
    }
}
