using System.Security.Cryptography;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>
/// The query session is read-only by construction: every way found to make DuckDB write, change the
/// session or run hidden SQL is refused before it runs, and no file anywhere it could reach changes.
/// </summary>
public sealed class VaultQueryWriteAttemptTests
{
    private static readonly DateOnly Day = new(2024, 7, 3);

    [Fact]
    public void VaultQuery_WriteAttempt_RefusedAndNothingChanges()
    {
        using var vault = TestVault.Create();
        using var outside = new TempDir();
        var root = vault.Layout.Root;
        var start = new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        vault.WriteTrades(TestVault.Trade("okx", "BTC-USDT-SWAP", 1, start, "65000.1", "4", "0.04"),
            TestVault.Trade("okx", "BTC-USDT-SWAP", 2, start + 1000, "65000.2", "1", "0.01"));
        vault.WriteTrades(TestVault.Trade("okx", "ETH-USDT-SWAP", 1, start, "3000.5", "4", "0.04"));
        vault.CompactDay("okx", "ETH-USDT-SWAP", Day);
        var rawDay = vault.Layout.RawDayJsonl("okx", "BTC-USDT-SWAP", Day);
        var rawDir = Path.Combine(root, "raw");
        var state = vault.Layout.ExporterState("okx", "BTC-USDT-SWAP");
        TestVault.WriteLines(state, """{"lastTradeId":"2","watermarkTs":1720008001000}""");
        var cwd = Directory.GetCurrentDirectory();
        string L(string path) => VaultViews.Literal(path);
        string V(params string[] parts) => L(Path.Combine([root, .. parts]));
        string O(string name) => L(Path.Combine(outside.Path, name));

        string[] attempts =
        [
            $"EXPLAIN ANALYZE COPY (SELECT 'x' AS x) TO {L(rawDay)} (FORMAT csv, HEADER false)",
            $"explain analyze copy (select 'x' as x) to {L(rawDay)} (format csv, header false)",
            $"EXPLAIN /* c */ ANALYZE COPY (SELECT 'x' AS x) TO {L(rawDay)} (FORMAT csv)",
            $"EXPLAIN COPY (SELECT 'x' AS x) TO {L(rawDay)} (FORMAT csv)",
            "EXPLAIN ANALYZE SELECT 1",
            $"COPY (SELECT 'x' AS x) TO {L(rawDay)} (FORMAT csv, HEADER false)",
            $"COPY (SELECT 1 AS a) TO {L(rawDir)} (FORMAT csv, PARTITION_BY (a), OVERWRITE)",
            $"COPY (SELECT 1 AS a) TO {L(rawDir)} (FORMAT csv, PARTITION_BY (a), OVERWRITE_OR_IGNORE)",
            $"COPY (SELECT * FROM trades) TO {V("raw", "okx", "trades_perps", "BTC-USDT-SWAP", "2024-07-03.parquet")} (FORMAT parquet)",
            $"COPY (SELECT '{{\"lastTradeId\":\"99\"}}' AS j) TO {L(state)} (FORMAT csv, HEADER false, QUOTE '')",
            $"COPY (SELECT 1) TO {O("x.csv")}",
            "COPY (SELECT 1) TO '.tmp/x.csv'",
            "COPY (SELECT 1) TO 'pipeline-write-attempt.csv'",
            $"COPY (WITH c AS (SELECT 1 AS a) SELECT * FROM c) TO {V("cte.csv")}",
            $"EXPORT DATABASE {V("export")}",
            $"EXPORT DATABASE {O("export")}",
            $"IMPORT DATABASE {V("raw")}",
            $"ATTACH {V("x.duckdb")} AS x",
            "ATTACH ':memory:' AS m",
            "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
            "CREATE PERSISTENT SECRET p (TYPE s3, KEY_ID 'a', SECRET 'b')",
            "SET enable_external_access = true",
            "sEt Enable_External_Access = TRUE",
            "/* a comment */ SET allowed_directories = ['/']",
            "-- a comment\nRESET lock_configuration",
            "SET VARIABLE x = 1",
            "USE memory",
            "PRAGMA enable_profiling",
            $"pRaGmA profiling_output = {V("profile.json")}",
            "INSTALL httpfs",
            "LOAD httpfs",
            "FORCE INSTALL json",
            "CREATE TABLE t AS SELECT 1",
            "CREATE VIEW v AS SELECT 1",
            "CREATE OR REPLACE VIEW trades AS SELECT 1 AS x",
            "DROP VIEW trades",
            "CREATE MACRO m(x) AS x",
            "CREATE TYPE e AS ENUM ('a')",
            $"PREPARE p AS COPY (SELECT 1) TO {V("p.csv")}",
            "PREPARE q AS SELECT 1",
            "EXECUTE p",
            "WITH c AS (SELECT 1 AS a) INSERT INTO t SELECT * FROM c",
            $"SELECT * FROM query('COPY (SELECT 1) TO ''{Path.Combine(root, "q.csv")}''')",
            $"SELECT * FROM query('SELECT * FROM enable_logging(storage=''file'', storage_path=''{Path.Combine(root, "log")}'')')",
            "SELECT * FROM query_table('trades')",
            $"SELECT * FROM enable_logging(storage='file', storage_path={V("log")})",
            $"WITH c AS (SELECT * FROM enable_logging(storage='file', storage_path={V("log")})) SELECT * FROM c",
            $"SELECT * FROM range(1), LATERAL (SELECT * FROM main.enable_logging(storage='file', storage_path={V("log")}))",
            "SELECT * FROM enable_profiling()",
            $"CALL enable_logging(storage='file', storage_path={V("log")})",
            "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
            "SELECT * FROM checkpoint()",
            "PIVOT (SELECT 1 AS a) ON a",
            $"SELECT 1; COPY (SELECT 1) TO {V("m.csv")}",
            "SELECT 1; SELECT 2",
            $"SELECT 1\0; COPY (SELECT 1) TO {V("nul.csv")}",
            "CHECKPOINT",
            "VACUUM",
            "BEGIN TRANSACTION",
        ];
        Assert.True(attempts.Length >= 30);

        using var query = VaultQuery.Open(vault.Layout);
        string[] watched = [root, cwd, outside.Path];
        var before = Snapshot(watched);
        Assert.Contains(before.Keys, k => k.EndsWith(".parquet", StringComparison.Ordinal)); // the snapshot sees the vault
        foreach (var sql in attempts)
        {
            var error = Record.Exception(() =>
            {
                using var reader = query.Query(sql);
                while (reader.Read())
                {
                }
            });
            var refused = Assert.IsType<DuckDbException>(error);
            Assert.True(refused.Message.StartsWith("refused:", StringComparison.Ordinal), $"{sql}\n  -> {refused.Message}");
            Assert.DoesNotContain('\n', refused.Message);
            var after = Snapshot(watched);
            Assert.True(Same(before, after, out var change), $"{sql}\n  changed {change}");
        }

        // The session itself is unchanged: still confined, still locked, the views still there.
        Assert.Equal("false", query.Connection.Scalar<string>("SELECT current_setting('enable_external_access')::VARCHAR"));
        Assert.Equal("true", query.Connection.Scalar<string>("SELECT current_setting('lock_configuration')::VARCHAR"));
        Assert.Equal(3L, query.Connection.Scalar<long>("SELECT count(*) FROM trades"));
        Assert.Equal(0L, query.Connection.Scalar<long>("SELECT count(*) FROM duckdb_tables()"));
    }

    [Theory]
    [InlineData("SELECT 42 AS answer")]
    [InlineData("  -- a comment\n /* another */ select count(*) from trades")]
    [InlineData("FROM trades LIMIT 1")]
    [InlineData("VALUES (1), (2)")]
    [InlineData("WITH c AS (SELECT instId, count(*) n FROM trades GROUP BY ALL) SELECT * FROM c ORDER BY n")]
    [InlineData("DESCRIBE trades")]
    [InlineData("describe select 1 as a")]
    [InlineData("SHOW TABLES")]
    [InlineData("SHOW trades")]
    [InlineData("SUMMARIZE trades")]
    [InlineData("EXPLAIN SELECT * FROM trades")]
    [InlineData("explain /* c */ select count(*) from trades;")]
    [InlineData("SELECT * FROM (PIVOT (SELECT instId, px FROM trades) ON instId IN ('BTC-USDT-SWAP') USING sum(px))")]
    [InlineData("SELECT * FROM range(3) t, generate_series(1, 2) g")]
    [InlineData("SELECT * FROM duckdb_settings() WHERE name = 'memory_limit'")]
    public void VaultQuery_ReadOnlyStatement_Runs(string sql)
    {
        using var vault = TestVault.Create();
        var start = new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        vault.WriteTrades(TestVault.Trade("okx", "BTC-USDT-SWAP", 1, start, "65000.1", "4", "0.04"));
        using var query = VaultQuery.Open(vault.Layout);
        using var reader = query.Query(sql);
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        Assert.True(rows > 0, sql);
    }

    [Fact]
    public void VaultQuery_ReadInsideTheVault_ThroughFileFunctionsWorks()
    {
        using var vault = TestVault.Create();
        var start = new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        vault.WriteTrades(TestVault.Trade("okx", "BTC-USDT-SWAP", 1, start, "65000.1", "4", "0.04"));
        vault.CompactDay("okx", "BTC-USDT-SWAP", Day);
        var parquet = VaultViews.Literal(vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", Day));
        using var query = VaultQuery.Open(vault.Layout);
        foreach (var sql in new[] { $"SELECT count(*) FROM read_parquet({parquet})", $"SELECT count(*) FROM {parquet}", $"SELECT count(*) FROM parquet_metadata({parquet})" })
        {
            using var reader = query.Query(sql);
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) >= 1, sql);
        }
    }

    /// <summary>Every file and directory under the roots: path → (size, SHA-256); directories have size -1.</summary>
    private static Dictionary<string, (long Size, string Hash)> Snapshot(IEnumerable<string> roots)
    {
        var result = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                if (Directory.Exists(entry))
                {
                    result[entry] = (-1, "");
                    continue;
                }

                using var stream = new FileStream(entry, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                result[entry] = (stream.Length, Convert.ToHexString(SHA256.HashData(stream)));
            }
        }

        return result;
    }

    private static bool Same(Dictionary<string, (long Size, string Hash)> before, Dictionary<string, (long Size, string Hash)> after, out string change)
    {
        foreach (var (path, entry) in after)
        {
            if (!before.TryGetValue(path, out var old))
            {
                change = "created " + path;
                return false;
            }

            if (old != entry)
            {
                change = "changed " + path;
                return false;
            }
        }

        var removed = before.Keys.FirstOrDefault(p => !after.ContainsKey(p));
        change = removed is null ? "" : "removed " + removed;
        return removed is null;
    }
}
