using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

public sealed class VaultQueryTests
{
    private static DuckDbException Refused(VaultQuery query, string sql) => Assert.Throws<DuckDbException>(() =>
    {
        using var reader = query.Query(sql);
        while (reader.Read())
        {
        }
    });

    [Fact]
    public void Query_ReadOutsideTheVault_IsRefused()
    {
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        var error = Refused(query, "select * from read_csv('/etc/passwd')");
        Assert.StartsWith("access outside the vault is not allowed", error.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/passwd", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("access outside the vault", Refused(query, $"select * from read_text({VaultViews.Literal(vault.Layout.Root + "/../../etc/passwd")})").Message, StringComparison.Ordinal);
        Assert.StartsWith("access outside the vault", Refused(query, $"select * from glob('/*')").Message, StringComparison.Ordinal);
        // A sibling directory whose name starts with the vault's is still outside.
        Directory.CreateDirectory(vault.Layout.Root + "2");
        File.WriteAllText(Path.Combine(vault.Layout.Root + "2", "x.csv"), "a\n1\n");
        Assert.StartsWith("access outside the vault", Refused(query, $"select * from read_csv({VaultViews.Literal(vault.Layout.Root + "2/x.csv")})").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_ReadInsideTheVault_Works()
    {
        using var vault = TestVault.Create();
        var path = Path.Combine(vault.Layout.Root, "meta", "notes.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "a,b\n1,x\n");
        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query($"select a, b from read_csv({VaultViews.Literal(path)})");
        Assert.True(reader.Read());
        Assert.Equal(1, reader.GetInt64(0));
        Assert.Equal("x", reader.GetString(1));
    }

    [Theory]
    [InlineData("COPY (select 1) TO '/tmp/pipeline-confinement-test.csv'")]
    [InlineData("ATTACH '/tmp/pipeline-confinement-test.db'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("RESET lock_configuration")]
    [InlineData("CREATE TABLE t AS SELECT 1")]
    [InlineData("EXPORT DATABASE '/tmp/pipeline-confinement-export'")]
    public void Query_WritesExtensionsAndSettings_AreRefused(string sql)
    {
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        var error = Refused(query, sql);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("vault", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/pipeline-confinement-test.csv"));
        Assert.False(File.Exists("/tmp/pipeline-confinement-test.db"));
    }

    [Fact]
    public void Query_WriteInsideTheVault_IsRefusedToo()
    {
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        var target = Path.Combine(vault.Layout.Root, "x.csv");
        Refused(query, $"COPY (select 1) TO {VaultViews.Literal(target)}");
        Refused(query, $"ATTACH {VaultViews.Literal(Path.Combine(vault.Layout.Root, "x.db"))}");
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Session_IsLockedEvenWithoutTheStatementFilter()
    {
        // The statement filter refuses SET first; this proves DuckDB's own lock holds behind it.
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        var locked = Assert.Throws<DuckDbException>(() => query.Connection.Execute("SET enable_external_access = true"));
        Assert.Contains("locked", locked.Message, StringComparison.Ordinal);
        Assert.Throws<DuckDbException>(() => query.Connection.Execute("SET allowed_directories = ['/']"));
        Assert.Throws<DuckDbException>(() => query.Connection.Execute("COPY (select 1) TO '/tmp/pipeline-confinement-test.csv'"));
        Assert.Throws<DuckDbException>(() => query.Connection.Execute("INSTALL httpfs"));
        Assert.Throws<DuckDbException>(() => query.Connection.Execute("LOAD httpfs"));
        Assert.False(File.Exists("/tmp/pipeline-confinement-test.csv"));
        // No temp directory: DuckDB would otherwise allow <cwd>/.tmp besides the vault, and spill there.
        Assert.Equal("", query.Connection.Scalar<string>("SELECT current_setting('temp_directory')"));
        Assert.Throws<DuckDbException>(() => query.Connection.Execute("COPY (select 1) TO '.tmp/pipeline-confinement-test.csv'"));
        Assert.False(File.Exists(".tmp/pipeline-confinement-test.csv"));
    }

    [Theory]
    [InlineData("DESCRIBE trades")]
    [InlineData("SHOW TABLES")]
    [InlineData("SUMMARIZE trades")]
    [InlineData("EXPLAIN select * from trades")]
    [InlineData("select 42 as answer")]
    public void Query_ReadOnlyStatements_Run(string sql)
    {
        using var vault = TestVault.Create();
        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query(sql);
        while (reader.Read())
        {
        }
    }
}
