using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Jobs.Tests.Verify;

public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly DateOnly Day = new(2026, 3, 1);

    private static RawTrade Trade(long id) => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Ts = TradeTime.DayStartMs(Day) + id, Px = "90000.1", Sz = "2", Side = "buy", CtVal = "0.01", CtMult = "1",
        CtType = "linear", CtValCcy = "BTC", QtyBase = "0.02", RecvTs = 1, Src = "ws",
    };

    private void WriteDay(params long[] ids) => TestVault.WriteTradeFile(new VaultLayout(_dir.Path).RawDayJsonl("okx", "BTC-USDT-SWAP", Day), ids.Select(Trade));

    private string WriteTruth(params long[] ids) =>
        TestTruth.Write(System.IO.Path.Combine(_dir.Path, "truth"), ids.Select(Trade),
            TradeTime.DayStartMs(Day), TradeTime.DayStartMs(Day) + TradeTime.MsPerDay - 1);

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["verify", "--vault", _dir.Path, .. args], output, error);
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task Verify_CleanDay_JsonStartsWithTheContractFieldsAndExitsZero()
    {
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync("--json");
        Assert.Equal(0, code);
        Assert.StartsWith("{\"duplicates\":0,\"torn\":0,\"missing\":0,\"extra\":0,\"gaps\":[],\"lines\":3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NonUtf8ByteInOneLine_OneProblemWithOffsetOtherLinesVerified()
    {
        // Issue 9 item 11: a single bad byte used to end verify for the whole vault (Cannot transcode invalid UTF-8).
        WriteDay(1, 2);
        var vault = new VaultLayout(_dir.Path);
        var path = vault.RawDayJsonl("okx", "BTC-USDT-SWAP", new DateOnly(2026, 3, 1));
        var offset = new FileInfo(path).Length;
        var bad = System.Text.Encoding.UTF8.GetBytes(File.ReadLines(path).First().Replace("\"BTC\"", "\"B#C\"", StringComparison.Ordinal) + "\n");
        bad[Array.IndexOf(bad, (byte)'#')] = 0xFF;
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(bad);
        }

        WriteDay(3);
        var (code, output) = await RunAsync("--json");
        Assert.Equal(1, code); // not clean, but not a crash
        Assert.DoesNotContain("transcode", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"lines\":3", output, StringComparison.Ordinal);
        Assert.Contains(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DuplicateAndGap_ExitsOneAndListsTheGap()
    {
        WriteDay(1, 2, 2, 5);
        var (code, output) = await RunAsync("--json", "--exchange", "okx", "--from", "2026-03-01", "--to", "2026-03-01");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("duplicates").GetInt64());
        var gap = Assert.Single(json.RootElement.GetProperty("gaps").EnumerateArray());
        Assert.Equal(3, gap.GetProperty("from").GetInt64());
        Assert.Equal(4, gap.GetProperty("to").GetInt64());
    }

    [Fact]
    public async Task Verify_Table_ShowsTotals()
    {
        WriteDay(1, 2);
        var (code, output) = await RunAsync();
        Assert.Equal(0, code);
        Assert.Contains("BTC-USDT-SWAP", output, StringComparison.Ordinal);
        Assert.Contains("clean", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BadFrom_IsAUsageError()
    {
        var (code, output) = await RunAsync("--from", "yesterday");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--from", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTruth_PxAlteredInOneLine_ExitsOneNamingTheField()
    {
        var truth = WriteTruth(1, 2, 3);
        TestVault.WriteTradeFile(new VaultLayout(_dir.Path).RawDayJsonl("okx", "BTC-USDT-SWAP", Day), [Trade(1), Trade(2) with { Px = "90000.2" }, Trade(3)]);
        var (code, output) = await RunAsync("--truth", truth, "--json");
        Assert.Equal(ExitCodes.Failure, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("contentMismatches").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("compared").GetInt64());
        var mismatch = Assert.Single(json.RootElement.GetProperty("instruments")[0].GetProperty("mismatches").EnumerateArray());
        Assert.Equal("px", mismatch.GetProperty("field").GetString());
        Assert.Equal("90000.1", mismatch.GetProperty("expected").GetString());
        Assert.Equal("90000.2", mismatch.GetProperty("actual").GetString());

        (code, output) = await RunAsync("--truth", truth);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("2026-03-01.jsonl@", output, StringComparison.Ordinal);
        Assert.Contains("trade 2 px expected 90000.1 actual 90000.2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTruth_SameContent_ExitsZero()
    {
        var truth = WriteTruth(1, 2, 3);
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync("--truth", truth, "--json");
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Verify_KnownGapInExporterState_ExitsOneAndListsIt()
    {
        WriteDay(1, 2, 3);
        var vault = new VaultLayout(_dir.Path);
        new StateFile<ExporterState>(vault.ExporterState("okx", "BTC-USDT-SWAP")).Write(new ExporterState
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", LastTradeId = "3", WatermarkTs = TradeTime.DayStartMs(Day) + 10,
            KnownGaps = [new KnownGap { BeforeTradeId = "1", FromTs = TradeTime.DayStartMs(Day) - 4000, ToTs = TradeTime.DayStartMs(Day), Reason = "outage before the first trade" }],
        });
        var (code, output) = await RunAsync("--json");
        Assert.Equal(ExitCodes.Failure, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("clean").GetBoolean());
        var gap = Assert.Single(json.RootElement.GetProperty("instruments")[0].GetProperty("knownGaps").EnumerateArray());
        Assert.Equal("outage before the first trade", gap.GetProperty("reason").GetString());
        (code, output) = await RunAsync();
        Assert.Contains("known gap", output, StringComparison.Ordinal);
        Assert.Contains("NOT clean", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--inst", "../x")]
    [InlineData("--truth", "/etc")]
    [InlineData("--truth", "/nonexistent-truth-dir")]
    public async Task Verify_BadInstOrTruthDir_IsAUsageErrorInOneLine(string option, string value)
    {
        WriteDay(1, 2, 3);
        var (code, output) = await RunAsync(option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Verify_MicroOnlyVault_ReportsEachKindAndTheBooksResyncs()
    {
        using var vault = TestVault.Over(new VaultLayout(_dir.Path));
        var t0 = TradeTime.DayStartMs(Day) + 1000;
        Pipeline.Vault.Micro.BookRecord Book(Pipeline.Vault.Micro.BookRecordType type, long dt, long? seq, long? prev, string? reason = null) => new()
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = type, Ts = t0 + dt, Seq = seq, PrevSeq = prev, Reason = reason,
            Bids = [new("1", "1")], Asks = [new("2", "1")], RecvTs = t0 + dt, Src = "ws",
        };
        vault.AppendMicro(
            Book(Pipeline.Vault.Micro.BookRecordType.Snapshot, 0, 10, null),
            Book(Pipeline.Vault.Micro.BookRecordType.Update, 1, 11, 10),
            Book(Pipeline.Vault.Micro.BookRecordType.Resync, 2, null, null, "gap: prevSeq 13 after seq 11"),
            Book(Pipeline.Vault.Micro.BookRecordType.Snapshot, 3, 20, null),
            new Pipeline.Vault.Micro.QuoteRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = t0, Seq = 5, BidPx = "1", BidSz = "1", AskPx = "2", AskSz = "1", RecvTs = t0, Src = "ws" });

        var (clean, json) = await RunAsync("--json");
        var (_, table) = await RunAsync();
        vault.AppendMicro(Book(Pipeline.Vault.Micro.BookRecordType.Update, 4, 22, 21));
        var (broken, brokenTable) = await RunAsync();

        Assert.True(clean == ExitCodes.Ok, json);
        using var doc = JsonDocument.Parse(json);
        var micro = doc.RootElement.GetProperty("micro").EnumerateArray().ToList();
        Assert.Equal(["quotes", "book"], micro.Select(m => m.GetProperty("kind").GetString()));
        var book = micro[1];
        Assert.Equal((2, 1, 1, 0), (book.GetProperty("snapshots").GetInt32(), book.GetProperty("updates").GetInt32(),
            book.GetProperty("resyncCount").GetInt32(), book.GetProperty("continuityBreaks").GetInt32()));
        Assert.Equal("gap: prevSeq 13 after seq 11", book.GetProperty("resyncs")[0].GetProperty("reason").GetString());
        Assert.Contains("book verification", table, StringComparison.Ordinal);
        Assert.Contains("quotes verification", table, StringComparison.Ordinal);
        Assert.Contains("gap: prevSeq 13 after seq 11", table, StringComparison.Ordinal);
        Assert.DoesNotContain("raw trade verification", table, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, broken);
        Assert.Contains("prevSeq 21 after seq 20", brokenTable, StringComparison.Ordinal);
        Assert.Contains("NOT clean", brokenTable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BookIndex_WritesPipelineBooksCheckpointIndexOnlyWhenAsked()
    {
        using var vault = TestVault.Over(new VaultLayout(_dir.Path));
        var t0 = TradeTime.DayStartMs(Day) + 1000;
        vault.AppendMicro(new Pipeline.Vault.Micro.BookRecord
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = Pipeline.Vault.Micro.BookRecordType.Snapshot, Ts = t0, Seq = 10,
            Bids = [new("1", "1")], Asks = [new("2", "1")], RecvTs = t0, Src = "ws",
        });
        var index = new Pipeline.Vault.Micro.BookCheckpoints(vault.Layout).IndexPath("okx", "BTC-USDT-SWAP", Day);

        var (plain, _) = await RunAsync();
        Assert.False(File.Exists(index));
        var (code, output) = await RunAsync("--book-index");

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok), (plain, code));
        Assert.True(File.Exists(index), output);
    }

    [Fact]
    public void ToJson_ListedRecords_EachFieldCamelCaseInOrderAndTextEscaped()
    {
        var report = new VerifyReport
        {
            Instruments =
            [
                new InstrumentVerifyResult
                {
                    Exchange = "okx", InstId = "BTC-USDT-SWAP",
                    Mismatches = [new VerifyMismatch("a.jsonl", 7, "2", "px", "90000.1", "90000.2")], Problems = ["torn <line>"],
                },
            ],
            Micro =
            [
                new MicroVerifyResult { Kind = Pipeline.Vault.Micro.MicroKind.Quotes, Exchange = "okx", InstId = "BTC-USDT-SWAP", SeqResets = [new QuoteSeqReset("q.jsonl", 9, 1000, 3, 500)] },
                new MicroVerifyResult { Kind = Pipeline.Vault.Micro.MicroKind.Book, Exchange = "okx", InstId = "BTC-USDT-SWAP", Resyncs = [new BookResyncEntry("b.jsonl", 11, 2000, "gap: prevSeq 13 after seq 11")] },
            ],
        };

        var json = Pipeline.Jobs.Verify.VerifyCommand.ToJson(report);

        Assert.Contains("""
            "mismatches":[{"file":"a.jsonl","offset":7,"tradeId":"2","field":"px","expected":"90000.1","actual":"90000.2"}]
            """, json, StringComparison.Ordinal);
        Assert.Contains("""
            "problems":["torn \u003Cline\u003E"]
            """, json, StringComparison.Ordinal);
        Assert.Contains("""
            "seqResets":[{"file":"q.jsonl","offset":9,"ts":1000,"seq":3,"previousSeq":500}]
            """, json, StringComparison.Ordinal);
        Assert.Contains("""
            "resyncs":[{"file":"b.jsonl","offset":11,"ts":2000,"reason":"gap: prevSeq 13 after seq 11"}]
            """, json, StringComparison.Ordinal);
    }
}
