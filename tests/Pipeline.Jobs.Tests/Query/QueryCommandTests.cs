using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Query;

public sealed class QueryCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    public QueryCommandTests() => Vault = new VaultLayout(Path.Combine(_root, "vault"));

    private VaultLayout Vault { get; }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync([.. args, "--vault", Vault.Root], output, error);
        return (code, output.ToString(), error.ToString());
    }

    private void WriteTrades(params (string Exchange, string InstId, long Id, long Ts, string Px)[] trades)
    {
        foreach (var group in trades.GroupBy(t => Vault.RawDayJsonl(t.Exchange, t.InstId, TradeTime.Day(t.Ts))))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(group.Key)!);
            using var appender = JsonlAppender.Open(group.Key);
            foreach (var t in group)
            {
                RawTradeWriter.Write(appender, new RawTrade
                {
                    Exchange = t.Exchange, InstId = t.InstId, TradeId = t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Ts = t.Ts, Px = t.Px, Sz = "2", Side = "buy", CtVal = "1", CtMult = "1", CtType = "linear",
                    CtValCcy = "BTC", QtyBase = "2", RecvTs = t.Ts + 5, Src = "ws",
                });
                appender.EndLine();
            }

            appender.Sync();
        }
    }

    /// <summary>Bands computed with --bands 1.5,3 were unreachable from query: the view always had the default columns.</summary>
    [Fact]
    public async Task Query_Bands_NonDefaultMultipliers_NameTheViewsColumns()
    {
        var day = Vault.DerivedDay("bands", "okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3));
        Directory.CreateDirectory(Path.GetDirectoryName(day)!);
        File.WriteAllText(day, """{"minute":"2024-07-03T09:46:00Z","exchange":"okx","instId":"BTC-USDT-SWAP","sigma1h":"2","upper1h_1p5":"65003","lower1h_1p5":"64997"}""" + "\n");

        var (code, output, error) = await Run("query", "select upper1h_1p5, lower1h_1p5 from bands", "--bands", "1.5,3", "--format", "csv");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("upper1h_1p5,lower1h_1p5\n65003,64997\n", output);

        var (defaultCode, _, defaultError) = await Run("query", "select upper1h_1p5 from bands");
        Assert.Equal(ExitCodes.Failure, defaultCode);
        Assert.Contains("upper1h_1p5", defaultError, StringComparison.Ordinal);

        var (badCode, _, badError) = await Run("query", "select 1", "--bands", "1,x");
        Assert.Equal(ExitCodes.Usage, badCode);
        Assert.Contains("--bands: 'x' is not a positive number", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Csv_PrintsHeaderThenRows()
    {
        var (code, output, error) = await Run("query", "select 42 as answer", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("answer\n42\n", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Query_Csv_QuotesPerRfc4180AndKeepsDecimalsExact()
    {
        var (code, output, _) = await Run("query",
            "select 'a,b' as t, 'say \"hi\"' as q, 'two\nlines' as n, NULL as z, '12345678901234567890.123456789012345678'::DECIMAL(38,18) as d",
            "--format", "csv");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("t,q,n,z,d\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,12345678901234567890.123456789012345678\n", output);
    }

    [Fact]
    public async Task Query_Json_IsJsonLinesWithExactValues()
    {
        var (code, output, _) = await Run("query",
            "select i, (i * 0.1)::DECIMAL(38,18) as d, 'x' || i as s, i = 1 as b, NULL as n, 1.5::DOUBLE as f, 18446744073709551615::UBIGINT as u from range(2) t(i)",
            "--format", "json");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"i":0,"d":"0","s":"x0","b":false,"n":null,"f":1.5,"u":18446744073709551615}""", lines[0]);
        using var doc = JsonDocument.Parse(lines[1]);
        Assert.Equal("0.1", doc.RootElement.GetProperty("d").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("i").GetInt64());
    }

    [Fact]
    public async Task Query_Table_AlignsNumbersRightAndTextLeft()
    {
        var (code, output, _) = await Run("query", "select 'ab' as name, 5 as n union all select 'abcdef', 12345 order by n");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.Contains("│ ab     │     5 │", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("│ abcdef │ 12345 │", StringComparison.Ordinal));
        Assert.Contains("2 rows", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Table_MaxRows_ShowsFirstAndCountsAll()
    {
        var (code, output, _) = await Run("query", "select i from range(5000) t(i)", "--max-rows", "3");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("5,000 rows, first 3 shown", output, StringComparison.Ordinal);
        Assert.DoesNotContain("│ 3 │", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Trades_OverRawDays()
    {
        WriteTrades(("okx", "BTC-USDT-SWAP", 1, 1720000000123, "65000.1"), ("okx", "BTC-USDT-SWAP", 2, 1720000000200, "65000.25"),
            ("binance", "BTCUSDT", 7, 1720094400000, "64000.5"));
        var (code, output, error) = await Run("query",
            "select exchange, instId, date, count(*) as n, sum(px::DECIMAL(38,9) * qtyBase::DECIMAL(38,9)) as notional from trades group by all order by exchange",
            "--format", "csv");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("exchange,instId,date,n,notional\nbinance,BTCUSDT,2024-07-04,1,128001\nokx,BTC-USDT-SWAP,2024-07-03,2,260000.7\n", output);
    }

    [Fact]
    public async Task Query_EmptyVault_ViewsExistAndAreEmpty()
    {
        foreach (var view in VaultViews.Names)
        {
            var (code, output, error) = await Run("query", $"select count(*) as n from {view}", "--format", "csv");
            Assert.True(code == ExitCodes.Ok, view + ": " + error);
            Assert.Equal("n\n0\n", output);
        }
    }

    [Theory]
    [InlineData("select * from read_csv('/etc/passwd')", "access outside the vault is not allowed")]
    [InlineData("COPY (select 1) TO '/tmp/pipeline-query-test.csv'", "read-only")]
    [InlineData("EXPLAIN ANALYZE COPY (select 1) TO '/tmp/pipeline-query-test.csv'", "read-only")]
    [InlineData("ATTACH '/tmp/pipeline-query-test.db'", "vault")]
    [InlineData("INSTALL httpfs", "read-only")]
    [InlineData("LOAD httpfs", "read-only")]
    [InlineData("SET enable_external_access = true", "read-only")]
    public async Task Query_OutsideTheVaultOrWrites_ExitOneWithOneLine(string sql, string expected)
    {
        var (code, output, error) = await Run("query", sql);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists("/tmp/pipeline-query-test.csv"));
    }

    [Fact]
    public async Task Query_Timeout_InterruptsAndExitsOneWithOneLine()
    {
        // Would run for hours: the command must end by itself, interrupted by --timeout.
        var run = Run("query", "select count(*) from range(1e12::bigint)", "--timeout", "0.2", "--threads", "1");
        var (code, output, error) = await run.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", output);
        Assert.Equal("error: query interrupted after 0.2 s (--timeout)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Query_MemoryLimit_BoundsTheQuery()
    {
        var (code, _, error) = await Run("query", "select list(i) from range(20000000) t(i)", "--memory-limit", "16MB", "--threads", "1", "--format", "csv");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith("error: Out of Memory Error", error, StringComparison.Ordinal);
        Assert.Contains("--memory-limit", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("--memory-limit", "lots")]
    [InlineData("--timeout", "0")]
    [InlineData("--threads", "0")]
    public async Task Query_BadBound_IsAUsageError(string option, string value)
    {
        var (code, _, error) = await Run("query", "select 1", option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: " + option, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Help_NamesTheBounds()
    {
        var (_, output, _) = await Run("query", "--help");
        Assert.Contains("--timeout", output, StringComparison.Ordinal);
        Assert.Contains("--memory-limit", output, StringComparison.Ordinal);
        Assert.Contains("--threads", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Table_EscapesControlCharactersFromData()
    {
        const string sql = "select chr(27) || '[31mX' as \"a\u001b[0m\", 'two' || chr(10) || 'lines' as b, chr(7) || chr(13) || chr(9) || chr(127) || chr(155) || chr(8238) as c";
        var (code, output, _) = await Run("query", sql);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.DoesNotContain(output, c => (c < ' ' && c != '\n') || c is '\u007f' or '\u009b' or '\u202e');
        Assert.Contains(@"\x1b[31mX", output, StringComparison.Ordinal);
        Assert.Contains(@"a\x1b[0m", output, StringComparison.Ordinal);
        Assert.Contains(@"two\nlines", output, StringComparison.Ordinal);
        Assert.Contains(@"\x07\r\t\x7f\x9b\u202e", output, StringComparison.Ordinal);

        // csv and json stay byte-exact.
        var (_, csv, _) = await Run("query", sql, "--format", "csv");
        Assert.Contains("\u001b[31mX", csv, StringComparison.Ordinal);
        var (_, json, _) = await Run("query", sql, "--format", "json");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("\u001b[31mX", doc.RootElement.GetProperty("a\u001b[0m").GetString());
        Assert.Equal("two\nlines", doc.RootElement.GetProperty("b").GetString());
    }

    [Fact]
    public async Task Query_ExplainTable_ShowsThePlanOverItsLines()
    {
        var (code, output, _) = await Run("query", "EXPLAIN select count(*) from range(3)");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.DoesNotContain(@"\n", output, StringComparison.Ordinal);
        Assert.True(output.Split('\n').Count(l => l.Contains('│', StringComparison.Ordinal)) > 5, output);
    }

    [Fact]
    public async Task Query_BadSql_ExitOneWithDuckDbsMessage()
    {
        var (code, _, error) = await Run("query", "selec 1");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("Parser Error", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Query_UnknownFormat_IsAUsageError()
    {
        var (code, _, error) = await Run("query", "select 1", "--format", "xml");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--format", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NestedTypes_PrintAsText()
    {
        var (code, output, _) = await Run("query", "select [1, 2] as l, {'k': 'v'} as s, 1 as n", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("l,s,n\n\"[1, 2]\",{'k': v},1\n", output);
    }

    [Fact]
    public async Task QueryAndStatus_TruncatedParquetDay_WarnWithPathAndStillWork()
    {
        WriteTrades(("okx", "BTC-USDT-SWAP", 1, 1720000000123, "65000.1"), ("okx", "BTC-USDT-SWAP", 2, 1720094400000, "65000.2"),
            ("okx", "ETH-USDT-SWAP", 3, 1720000000123, "3000.5"));
        var jsonl = Vault.RawDayJsonl("okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3));
        var bad = Path.ChangeExtension(jsonl, ".parquet");
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"COPY ({VaultViews.RawTradesSelect(jsonl)}) TO {VaultViews.Literal(bad)} (FORMAT parquet)");
        }

        File.Delete(jsonl);
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..64]); // cut short

        // Child processes: the warning is a log line on the real stderr.
        var (code, output, error) = await RunProcess("query", "select 1 as one", "--format", "csv");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("one\n1\n", output);
        Assert.Contains(bad, error, StringComparison.Ordinal);
        (code, output, error) = await RunProcess("query", "select instId, count(*) as n from trades group by all order by instId", "--format", "csv");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("instId,n\nBTC-USDT-SWAP,1\nETH-USDT-SWAP,1\n", output);
        (code, output, error) = await RunProcess("status");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("ETH-USDT-SWAP", output, StringComparison.Ordinal);
        Assert.Contains(bad, error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunProcess(params string[] args)
    {
        var (code, output, error) = await PipelineProcess.RunAsync([.. args, "--vault", Vault.Root]);
        return (code, output.ReplaceLineEndings("\n"), error);
    }

    [Fact]
    public async Task Doctor_StaleLibraryVariable_IsIgnoredAndNamesDuckDbNet()
    {
        // A child process: DuckDB.NET brings libduckdb itself, so the old PIPELINE_DUCKDB_LIB no longer matters.
        using var process = PipelineProcess.Start(["doctor"], workingDirectory: null,
            environment: new Dictionary<string, string?> { ["PIPELINE_DUCKDB_LIB"] = Path.Combine(_root, "missing", "libduckdb.so") });
        Assert.Equal(ExitCodes.Ok, await process.WaitForExitAsync(PipelineProcess.DefaultBound));
        Assert.Matches(@"duckdb\s+v1\.5\.\d+ \(DuckDB\.NET 1\.5\.\d+\.\d+\)", process.Stdout);
        Assert.DoesNotContain("libduckdb", process.Stdout, StringComparison.Ordinal);
    }
}
