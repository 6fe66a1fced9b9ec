using System.Text.Json;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Tests.Book;

/// <summary>
/// <c>pipeline book</c>: the book at an instant in table, csv and json (exact strings); exit 1 with one line when the
/// book is unknown there; exit 2 with one line on a usage error. The vault's lines are MicroLineWriter's.
/// </summary>
public sealed class BookCommandTests
{
    private static readonly long T0 = TestVault.T(TestVault.Day1, 10, 0);

    private static TestVault Vault()
    {
        var vault = TestVault.Create();
        BookRecord Line(BookRecordType type, long dt, long? seq, long? prev, BookLevel[] bids, BookLevel[] asks, string? reason = null) => new()
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = type, Ts = T0 + dt, Seq = seq, PrevSeq = prev, Bids = bids, Asks = asks,
            Reason = reason, RecvTs = T0 + dt + 3, Src = "ws",
        };
        vault.AppendMicro(
            Line(BookRecordType.Snapshot, 0, 100, null, [new("65000.10", "2"), new("64999.9", "1")], [new("65000.2", "3"), new("65000.3", "0.5")]),
            Line(BookRecordType.Update, 100, 101, 100, [new("65000.10", "0"), new("64999.95", "4.000")], [new("65000.25", "1")]),
            // Not the last line before the resync: the book is unknown from that line to the resync (the missed change's moment is unknown).
            Line(BookRecordType.Update, 250, 102, 101, [], [new("65009", "1")]),
            Line(BookRecordType.Resync, 300, null, null, [], [], "checksum mismatch: computed 123, sent 456"),
            Line(BookRecordType.Snapshot, 400, 200, null, [new("65001", "1")], [new("65002", "1")]));
        return vault;
    }

    private static Task<(int Code, string Output, string Error)> Book(TestVault vault, params string[] args) =>
        CliRunner.RunAsync(["book", "--vault", vault.Layout.Root, "--exchange", "okx", "--inst", "BTC-USDT-SWAP", .. args]);

    [Fact]
    public async Task Book_Csv_IsTheBookAtTheInstantWithTheExactStrings()
    {
        using var vault = Vault();

        var (code, output, error) = await Book(vault, "--at", "2025-12-14T10:00:00.200Z", "--format", "csv");

        Assert.True(code == 0, error);
        Assert.Equal("level,bidPx,bidSz,askPx,askSz\n1,64999.95,4.000,65000.2,3\n2,64999.9,1,65000.25,1\n3,,,65000.3,0.5\n", output);
    }

    [Fact]
    public async Task Book_JsonWithDepth_HasTheTopLevelsAndTheBooksSeq()
    {
        using var vault = Vault();

        var (code, output, error) = await Book(vault, "--at", (T0 + 150).ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "json", "--depth", "1");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(101, root.GetProperty("seq").GetInt64());
        Assert.Equal("""[["64999.95","4.000"]]""", root.GetProperty("bids").GetRawText());
        Assert.Equal("""[["65000.2","3"]]""", root.GetProperty("asks").GetRawText());
        Assert.Equal("2025-12-14T10:00:00.150Z", root.GetProperty("at").GetString());
    }

    [Fact]
    public async Task Book_CheckpointIndex_WrittenUnderStateSameBookAndSkippedWithNoCheckpoints()
    {
        using var vault = Vault();
        var index = Path.Combine(vault.Layout.StateDir, "book-checkpoints", "okx", "BTC-USDT-SWAP", "2025-12-14.ckpt");

        var plain = await Book(vault, "--at", "2025-12-14T10:00:00.200Z", "--format", "json", "--no-checkpoints");
        Assert.True(plain.Code == 0, plain.Error);
        Assert.False(File.Exists(index));

        var first = await Book(vault, "--at", "2025-12-14T10:00:00.200Z", "--format", "json");
        Assert.True(File.Exists(index));
        var second = await Book(vault, "--at", "2025-12-14T10:00:00.200Z", "--format", "json");

        Assert.Equal(plain, first);
        Assert.Equal(plain, second);
    }

    [Fact]
    public async Task Book_Table_ShowsBidsAndAsksSideBySide()
    {
        using var vault = Vault();

        var (code, output, error) = await Book(vault, "--at", "2025-12-14T10:00:00.500Z");

        Assert.True(code == 0, error);
        Assert.Contains("seq 200", output, StringComparison.Ordinal);
        Assert.Matches(@"│\s+1 │\s+65001 │ 65002\s+│ 1\s+│", output);
    }

    [Fact]
    public async Task Book_InsideResyncWindow_ExitsOneWithTheReasonInOneLine()
    {
        using var vault = Vault();

        var (code, output, error) = await Book(vault, "--at", "2025-12-14T10:00:00.350Z");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown from 2025-12-14T10:00:00.300Z (resync: checksum mismatch: computed 123, sent 456", line, StringComparison.Ordinal);
        Assert.Contains("the next snapshot is at 2025-12-14T10:00:00.400Z", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_NothingRecordedForTheInstrument_ExitsOneNamingTheFolder()
    {
        using var vault = Vault();

        var (code, _, error) = await CliRunner.RunAsync("book", "--vault", vault.Layout.Root, "--exchange", "okx", "--inst", "ETH-USDT-SWAP", "--at", "2025-12-14");

        Assert.Equal(1, code);
        Assert.Contains("no book recorded for okx ETH-USDT-SWAP", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--at", "yesterday", "--at: 'yesterday' is not a date")]
    [InlineData("--at", "2025-12-14", "--depth", "0", "--depth: 0 is not a positive number of levels")]
    [InlineData("--at", "2025-12-14", "--format", "xml", "--format: 'xml' is not table, csv or json")]
    [InlineData("--at", "2025-12-14", "--exchange", "kraken", "--exchange: 'kraken' is not okx or binance")]
    [InlineData("--depth", "5", "'--at' is required")]
    public async Task Book_UsageError_ExitsTwoWithOneLine(params string[] argsAndMessage)
    {
        using var vault = Vault();
        var args = argsAndMessage[..^1];
        var withExchange = args.Contains("--exchange") ? args : ["--exchange", "okx", .. args];

        var (code, _, error) = await CliRunner.RunAsync(["book", "--vault", vault.Layout.Root, "--inst", "BTC-USDT-SWAP", .. withExchange]);

        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(argsAndMessage[^1], line, StringComparison.Ordinal);
    }
}
