using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

public sealed class DuckDbTypesTests
{
    [Fact]
    public void Reader_EveryScalarType_ReadsExactValues()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("""
            select true as b, -5::TINYINT as i1, -300::SMALLINT as i2, -70000::INTEGER as i4,
                   -5000000000::BIGINT as i8, 250::UTINYINT as u1, 65000::USMALLINT as u2,
                   4000000000::UINTEGER as u4, 18000000000000000000::UBIGINT as u8,
                   170141183460469231731687303715884105727::HUGEINT as h,
                   1.5::DOUBLE as d, 0.25::FLOAT as f, 'héllo, world — long enough to not inline' as s, 'short' as s2,
                   TIMESTAMP '2024-07-03 09:46:40.123456' as ts,
                   TIMESTAMPTZ '2024-07-03 09:46:40.123+00' as tz,
                   DATE '2024-07-03' as dt
            """);
        Assert.True(reader.Read());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(-5, reader.GetInt64(1));
        Assert.Equal(-300, reader.GetInt64(2));
        Assert.Equal(-70000, reader.GetInt64(3));
        Assert.Equal(-5_000_000_000, reader.GetInt64(4));
        Assert.Equal(250, reader.GetInt64(5));
        Assert.Equal(65000, reader.GetInt64(6));
        Assert.Equal(4_000_000_000, reader.GetInt64(7));
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(8));
        Assert.Equal(18_000_000_000_000_000_000UL, reader.GetValue(8));
        Assert.Equal(Int128.MaxValue, reader.GetInt128(9));
        Assert.Equal(1.5, reader.GetDouble(10));
        Assert.Equal(0.25, reader.GetDouble(11));
        Assert.Equal("héllo, world — long enough to not inline", reader.GetString(12));
        Assert.Equal("short", reader.GetString(13));
        Assert.Equal(new DateTime(2024, 7, 3, 9, 46, 40, DateTimeKind.Utc).AddTicks(1_234_560), reader.GetDateTime(14));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(14).Kind);
        Assert.Equal(new DateTimeOffset(2024, 7, 3, 9, 46, 40, 123, TimeSpan.Zero), reader.GetDateTimeOffset(15));
        Assert.Equal("2024-07-03T09:46:40.123Z", reader.GetString(15));
        Assert.Equal(new DateOnly(2024, 7, 3), reader.GetDate(16));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Reader_TypeNames_AreDuckDbs()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("select 1::BIGINT a, 'x' b, 1.5::DECIMAL(38,18) c, 2.25::DECIMAL(9,2) d, now() e");
        Assert.Equal(["a", "b", "c", "d", "e"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        Assert.Equal(["BIGINT", "VARCHAR", "DECIMAL(38,18)", "DECIMAL(9,2)", "TIMESTAMP WITH TIME ZONE"],
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetTypeName));
        Assert.Equal(DuckDbType.Decimal, reader.GetColumnType(2));
        Assert.Equal(18, reader.Columns[2].Scale);
    }

    [Theory]
    [InlineData("DECIMAL(4,1)", "-123.4")]
    [InlineData("DECIMAL(9,4)", "12345.6789")]
    [InlineData("DECIMAL(18,8)", "0.00000001")]
    [InlineData("DECIMAL(18,8)", "-9999999999.99999999")]
    [InlineData("DECIMAL(38,18)", "0.00000001")]
    [InlineData("DECIMAL(38,18)", "1234567890.123456789012345678")]
    [InlineData("DECIMAL(38,18)", "-65000.1")]
    [InlineData("DECIMAL(38,0)", "79228162514264337593543950335")]
    [InlineData("DECIMAL(38,30)", "0.5")]
    public void GetDecimal_EveryWidth_IsExact(string type, string text)
    {
        using var connection = DuckDbConnection.OpenInMemory();
        var value = connection.Scalar<decimal>($"select '{text}'::{type}");
        Assert.Equal(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void GetDecimal_ThirtyEightDigits_ThrowsButTextIsExact()
    {
        // 38 significant digits cannot live in a C# decimal (28-29 digits): refuse rather than round.
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("select '12345678901234567890.123456789012345678'::DECIMAL(38,18)");
        Assert.True(reader.Read());
        Assert.Equal("12345678901234567890.123456789012345678", reader.GetString(0));
        var error = Assert.Throws<DuckDbException>(() => reader.GetDecimal(0));
        Assert.Contains("12345678901234567890.123456789012345678", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DECIMAL(38,18)", "123456789012.345678901234567891")] // 30 significant digits
    [InlineData("DECIMAL(38,13)", "1234567890123456789.0123456789012")] // 32 significant digits
    [InlineData("DECIMAL(38,0)", "79228162514264337593543950336")] // decimal.MaxValue + 1
    [InlineData("DECIMAL(38,37)", "0.1234567890123456789012345678901234567")]
    public void GetDecimal_DecimalPast28Digits_IsNeverSilentlyRounded(string type, string text)
    {
        // DuckDB.NET's own GetDecimal rounds such values to 28 digits without a word; the vault's reader
        // returns them exactly or fails loudly, and their text is always exact.
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query($"select '{text}'::{type}, '{text}'::{type}::VARCHAR");
        Assert.True(reader.Read());
        Assert.Equal(reader.GetString(1), reader.GetString(0));
        Assert.Equal(text, reader.GetString(0));
        var error = Assert.Throws<DuckDbException>(() => reader.GetDecimal(0));
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Throws<DuckDbException>(() => reader.GetValue(0));
        Assert.Throws<DuckDbException>(() => connection.Scalar<decimal>($"select '{text}'::{type}"));
    }

    [Fact]
    public void GetDecimal_Double_IsRefused()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("select 0.1::DOUBLE");
        Assert.True(reader.Read());
        Assert.Throws<InvalidCastException>(() => reader.GetDecimal(0));
    }

    [Fact]
    public void Reader_Nulls_AreNullForEveryType()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("""
            select NULL::BOOLEAN, NULL::BIGINT, NULL::DOUBLE, NULL::DECIMAL(38,18), NULL::VARCHAR,
                   NULL::TIMESTAMP, NULL::TIMESTAMPTZ, NULL::DATE, NULL::HUGEINT, NULL
            """);
        Assert.True(reader.Read());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.True(reader.IsNull(i), reader.GetTypeName(i));
            Assert.Null(reader.GetValue(i));
        }

        Assert.Throws<InvalidOperationException>(() => reader.GetInt64(1));
        Assert.Null(reader.Get<long?>(1));
        Assert.Null(reader.Get<string>(4));
    }

    [Fact]
    public void Reader_NullsMixedAcrossChunks_FollowValidity()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        using var reader = connection.Query("select case when i % 3 = 0 then NULL else i end from range(10000) t(i)");
        long row = 0, nulls = 0;
        while (reader.Read())
        {
            if (reader.IsNull(0))
            {
                Assert.Equal(0, row % 3);
                nulls++;
            }
            else
            {
                Assert.Equal(row, reader.GetInt64(0));
            }

            row++;
        }

        Assert.Equal(10000, row);
        Assert.Equal(3334, nulls);
    }

    [Fact]
    public void GetValue_BoxesNaturalClrTypes()
    {
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute("create type side as enum ('buy', 'sell')");
        using var reader = connection.Query("""
            select 42::INTEGER, 'x', 1.25::DECIMAL(10,2), DATE '2024-01-02', TIMESTAMPTZ '2024-01-02 03:04:05+00',
                   'sell'::side, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID, '\x41\x00'::BLOB
            """);
        Assert.True(reader.Read());
        Assert.Equal(42, reader.GetValue(0));
        Assert.Equal("x", reader.GetValue(1));
        Assert.Equal(1.25m, reader.GetValue(2));
        Assert.Equal(new DateOnly(2024, 1, 2), reader.GetValue(3));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), reader.GetValue(4));
        Assert.Equal("sell", reader.GetValue(5));
        Assert.Equal(Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), reader.GetValue(6));
        Assert.Equal(new byte[] { 0x41, 0x00 }, reader.GetValue(7));
        Assert.Equal("A\\x00", reader.GetString(7));
    }
}
