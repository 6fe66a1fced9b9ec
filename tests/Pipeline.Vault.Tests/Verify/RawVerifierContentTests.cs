using System.Globalization;
using System.Text;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Vault.Tests.Verify;

/// <summary>
/// Verification looks at content, not only ids: every field against the truth, every Parquet column, the
/// exporter's known gaps, and no value in a line can stop it.
/// </summary>
public sealed class RawVerifierContentTests : IDisposable
{
    private const string Exchange = "okx";
    private const string Inst = "BTC-USD-SWAP";
    private static readonly DateOnly Day1 = new(2026, 3, 1);
    private static readonly DateOnly Day2 = Day1.AddDays(1);
    private static readonly long Start1 = TradeTime.DayStartMs(Day1);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public RawVerifierContentTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    /// <summary>Inverse-contract trades as the truth has them (qtyBase = sz×100/px, written here as literals).</summary>
    private static RawTrade Trade(long id, long ts) => new()
    {
        Exchange = Exchange, InstId = Inst, TradeId = id.ToString(CultureInfo.InvariantCulture), Ts = ts,
        Px = "80000", Sz = "5", Side = id % 2 == 0 ? "buy" : "sell", CtVal = "100", CtMult = "1", CtType = "inverse", CtValCcy = "USD",
        QtyBase = "0.00625", RecvTs = ts + 7, Src = "ws",
    };

    private static IEnumerable<RawTrade> Trades(DateOnly day, int fromId, int count) =>
        Enumerable.Range(fromId, count).Select(i => Trade(i, TradeTime.DayStartMs(day) + (i * 1000L)));

    private string WriteTruth(IEnumerable<RawTrade> trades, long startTs, long endTs) =>
        TestTruth.Write(_dir.File("truth"), trades, startTs, endTs);

    private static long OffsetOf(IEnumerable<RawTrade> trades, int index) =>
        trades.Take(index).Sum(t => (long)Encoding.UTF8.GetByteCount(RawTradeWriter.ToLine(t)));

    public static TheoryData<string> AlteredFields => new() { "px", "sz", "side", "ts", "qtyBase", "ctVal", "firstId" };

    private static RawTrade Alter(RawTrade t, string field) => field switch
    {
        "px" => t with { Px = "80000.5" },
        "sz" => t with { Sz = "6" },
        "side" => t with { Side = t.Side == "buy" ? "sell" : "buy" },
        "ts" => t with { Ts = t.Ts + 1 },
        "qtyBase" => t with { QtyBase = "0.0062500001" },
        "ctVal" => t with { CtVal = "10" },
        "firstId" => t with { FirstId = 7 },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [MemberData(nameof(AlteredFields))]
    public void VerifyTruth_OneFieldAlteredInOneLine_FailsNamingTheField(string field)
    {
        var truthTrades = Trades(Day1, 1, 50).ToList();
        var vaultTrades = truthTrades.Select((t, i) => i == 17 ? Alter(t, field) : t).ToList();
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), vaultTrades);
        var truth = WriteTruth(truthTrades, Start1, Start1 + TradeTime.MsPerDay - 1);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions { TruthDir = truth });

        Assert.False(report.IsClean);
        Assert.Equal((0L, 0L, 0L, 0L), (report.Missing, report.Extra, report.Duplicates, report.GapCount)); // the ids are all right
        Assert.Equal(50, report.Compared);
        Assert.Equal(1, report.ContentMismatches);
        var mismatch = Assert.Single(report.Instruments[0].Mismatches);
        Assert.Equal(field, mismatch.Field);
        Assert.Equal("18", mismatch.TradeId);
        Assert.Equal("2026-03-01.jsonl", mismatch.File);
        Assert.Equal(OffsetOf(vaultTrades, 17), mismatch.Offset);
        var expected = TradeContent.Fields(truthTrades[17]).Single(f => f.Field == field).Value ?? "(absent)";
        var actual = TradeContent.Fields(vaultTrades[17]).Single(f => f.Field == field).Value ?? "(absent)";
        Assert.Equal((expected, actual), (mismatch.Expected, mismatch.Actual));
    }

    [Fact]
    public void VerifyTruth_SameContentDifferentRecvTsAndSrc_IsClean()
    {
        var truthTrades = Trades(Day1, 1, 30).ToList();
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), truthTrades.Select(t => t with { RecvTs = t.RecvTs + 900, Src = "rest" }));
        var truth = WriteTruth(truthTrades, Start1, Start1 + TradeTime.MsPerDay - 1);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions { TruthDir = truth });

        Assert.True(report.IsClean, string.Join("\n", report.Instruments[0].Problems));
        Assert.Equal(30, report.Compared);
    }

    [Fact]
    public void VerifyTruth_AlteredSideInACompactedDay_IsFoundInTheParquetRow()
    {
        var truthTrades = Trades(Day1, 1, 40).ToList();
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), truthTrades.Select((t, i) => i == 10 ? t with { Side = "buy" } : t)); // id 11 was a sell
        Assert.Equal(1, new VaultCompactor(_vault, new CompactionOptions { IncludeDerived = false }).Run().Compacted);
        var truth = WriteTruth(truthTrades, Start1, Start1 + TradeTime.MsPerDay - 1);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions { TruthDir = truth });

        var mismatch = Assert.Single(report.Instruments[0].Mismatches);
        Assert.Equal(new VerifyMismatch("2026-03-01.parquet", 10, "11", "side", "sell", "buy"), mismatch);
    }

    /// <summary>A Parquet day whose one column was rewritten (DuckDB COPY): found without any truth, by reading every column.</summary>
    [Theory]
    [InlineData("sz", "(sz::DECIMAL(18,8) * 10)::VARCHAR", "szDecimal 5.0000000000 differs from sz 50.00000000")]
    [InlineData("px", "CASE WHEN tradeId = '7' THEN '80001' ELSE px END", "pxDecimal 80000.0000000000 differs from px 80001")]
    [InlineData("px", "CASE WHEN tradeId = '7' THEN '80000.00000000001' ELSE px END", "pxDecimal 80000.0000000000 differs from px 80000.00000000001")] // past the companion's scale: it must be NULL
    [InlineData("qtyBaseDecimal", "qtyBaseDecimal * 2", "qtyBaseDecimal 0.0125000000 differs from qtyBase 0.00625")]
    [InlineData("side", "CASE WHEN tradeId = '7' THEN 'hold' ELSE side END", "side must be buy or sell")]
    [InlineData("ts", "CASE WHEN tradeId = '7' THEN NULL ELSE ts END", "missing or invalid ts")]
    public void Verify_ParquetDayWithOneColumnRewritten_ReportsIt(string column, string expression, string reason)
    {
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), Trades(Day1, 1, 20));
        Assert.Equal(1, new VaultCompactor(_vault, new CompactionOptions { IncludeDerived = false }).Run().Compacted);
        var parquet = _vault.RawDayParquet(Exchange, Inst, Day1);
        Assert.True(new RawVerifier(_vault).Verify(new VerifyOptions()).IsClean);
        RewriteColumn(parquet, column, expression);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.False(report.IsClean);
        Assert.True(report.Unparsable >= 1);
        Assert.Contains(report.Instruments[0].Problems, p => p.StartsWith("2026-03-01.parquet@", StringComparison.Ordinal) && p.EndsWith(reason, StringComparison.Ordinal));
    }

    private void RewriteColumn(string parquet, string column, string expression)
    {
        var temp = _dir.File("rewritten.parquet");
        using (var connection = DuckDbConnection.OpenInMemory())
        {
            connection.Execute($"COPY (SELECT * REPLACE ({expression} AS {VaultViews.Quote(column)}) FROM read_parquet({VaultViews.Literal(parquet)})) " +
                               $"TO {VaultViews.Literal(temp)} (FORMAT parquet)");
        }

        File.Move(temp, parquet, overwrite: true);
    }

    /// <summary>
    /// Days compacted before 2026-11-30 carry DECIMAL(38,18) companions: verify still checks them, and the trades
    /// view (which uses only companions in its own DECIMAL(38,10)) reads their text, to the same values.
    /// </summary>
    [Fact]
    public void VerifyAndTrades_DayCompactedWithTheFirstDecimal38_18Companions_StillCheckedAndExact()
    {
        var trades = Trades(Day1, 1, 20).ToList();
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), trades);
        Assert.Equal(1, new VaultCompactor(_vault, new CompactionOptions { IncludeDerived = false }).Run().Compacted);
        var parquet = _vault.RawDayParquet(Exchange, Inst, Day1);
        foreach (var column in (string[])["pxDecimal", "szDecimal", "ctValDecimal", "ctMultDecimal", "qtyBaseDecimal"])
        {
            RewriteColumn(parquet, column, $"{column}::DECIMAL(38,18)");
        }

        Assert.True(new RawVerifier(_vault).Verify(new VerifyOptions()).IsClean);
        using (var query = VaultQuery.Open(_vault))
        using (var reader = query.Query("select tradeId, px::VARCHAR, sz::VARCHAR, qtyBase::VARCHAR from trades order by ts, tradeId"))
        {
            var i = 0;
            while (reader.Read())
            {
                var t = trades[i++];
                Assert.Equal(t.TradeId, reader.GetString(0));
                Assert.Equal(decimal.Parse(t.Px, CultureInfo.InvariantCulture), decimal.Parse(reader.GetString(1), CultureInfo.InvariantCulture));
                Assert.Equal(decimal.Parse(t.Sz, CultureInfo.InvariantCulture), decimal.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
                Assert.Equal(decimal.Parse(t.QtyBase, CultureInfo.InvariantCulture), decimal.Parse(reader.GetString(3), CultureInfo.InvariantCulture));
            }

            Assert.Equal(trades.Count, i);
        }

        RewriteColumn(parquet, "szDecimal", "szDecimal * 3");
        Assert.Contains(new RawVerifier(_vault).Verify(new VerifyOptions()).Instruments[0].Problems, p => p.Contains("szDecimal", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_TruncatedParquetDay_IsReportedWithItsPathAndTheOtherDaysAreVerified()
    {
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), Trades(Day1, 1, 500));
        Assert.Equal(1, new VaultCompactor(_vault, new CompactionOptions { IncludeDerived = false }).Run().Compacted);
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day2), Trades(Day2, 501, 10));
        var parquet = _vault.RawDayParquet(Exchange, Inst, Day1);
        using (var stream = new FileStream(parquet, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.False(report.IsClean);
        Assert.Equal(1, report.UnreadableFiles);
        Assert.Equal(10, report.Lines); // day 2 still verified
        Assert.Contains(report.Instruments[0].Problems, p => p.StartsWith(parquet + "@0: unreadable Parquet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(300_000_000_000_000L)] // year 11476
    [InlineData(long.MaxValue)]
    public void Verify_TsPastYear9999_IsReportedNotACrash(long ts)
    {
        var path = _vault.RawDayJsonl(Exchange, Inst, Day1);
        var trades = Trades(Day1, 1, 5).Select(t => t.TradeId == "3" ? t with { Ts = ts } : t).ToList();
        TestVault.WriteTradeFile(path, trades);

        var report = new RawVerifier(_vault).Verify(new VerifyOptions { FromTs = Start1, ToTs = long.MaxValue });

        Assert.False(report.IsClean);
        Assert.Equal(1, report.WrongDate + report.Unparsable);
        var problem = Assert.Single(report.Instruments[0].Problems);
        Assert.StartsWith("2026-03-01.jsonl", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AggregateLineClaimingBillionsOfFills_IsReportedNotExpanded()
    {
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), Trades(Day1, 1, 3).Select(t => t.TradeId == "3" ? t with { Count = int.MaxValue } : t));

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.Equal(1, report.Unparsable);
        Assert.Contains(report.Instruments[0].Problems, p => p.Contains("claims 2147483647 fills", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ExporterStateWithKnownGaps_IsNotCleanAndListsThem()
    {
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), Trades(Day1, 1, 10));
        Assert.True(new RawVerifier(_vault).Verify(new VerifyOptions()).IsClean);
        var gap = new KnownGap { AfterTradeId = null, BeforeTradeId = "1", FromTs = Start1 - 4000, ToTs = Start1 + 1000, Reason = "outage before the first trade" };
        new StateFile<ExporterState>(_vault.ExporterState(Exchange, Inst)).Write(new ExporterState
        {
            Exchange = Exchange, InstId = Inst, LastTradeId = "10", WatermarkTs = Start1 + 10_000, KnownGaps = [gap],
        });
        // An instrument whose every trade was lost has no raw file, only state: it is verified too.
        new StateFile<ExporterState>(_vault.ExporterState("binance", "ETHUSDT")).Write(new ExporterState
        {
            Exchange = "binance", InstId = "ETHUSDT", WatermarkTs = Start1, KnownGaps = [gap with { BeforeTradeId = null }],
        });

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.False(report.IsClean);
        Assert.Equal(2, report.KnownGapCount);
        Assert.Equal(gap, Assert.Single(report.Instruments.Single(i => i.InstId == Inst).KnownGaps));
        Assert.Single(report.Instruments.Single(i => i.InstId == "ETHUSDT").KnownGaps);
        // Outside the verified range the gap is not this verification's business.
        Assert.True(new RawVerifier(_vault).Verify(new VerifyOptions { Exchanges = [Exchange], FromTs = Start1 + 2000 }).IsClean);
    }

    [Fact]
    public void Verify_CorruptExporterState_IsNotClean()
    {
        TestVault.WriteTradeFile(_vault.RawDayJsonl(Exchange, Inst, Day1), Trades(Day1, 1, 10));
        var state = _vault.ExporterState(Exchange, Inst);
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        File.WriteAllText(state, "{not json");

        var report = new RawVerifier(_vault).Verify(new VerifyOptions());

        Assert.False(report.IsClean);
        Assert.Equal(1, report.StateErrors);
        Assert.Equal(10, report.Lines);
    }

    [Fact]
    public void Verify_TruthDirWithoutSimulatorTruth_Throws()
    {
        var empty = _dir.File("not-truth");
        Directory.CreateDirectory(empty);
        Assert.Contains("holds no simulator truth", RawVerifier.TruthProblem(empty), StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => new RawVerifier(_vault).Verify(new VerifyOptions { TruthDir = empty }));
    }
}
