using Pipeline.Vault.Compaction;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>
/// The views <c>quotes</c>, <c>book</c>, <c>liquidations</c>, <c>derivatives</c>: fixed schemas with exact types, the
/// same rows from JSONL and compacted Parquet, a book's sides as lists of {px, sz} structs, and a value its type cannot
/// hold exactly failing the query that reads it (named), as in <c>trades</c>.
/// </summary>
public sealed class MicroViewsTests
{
    private static readonly long T0 = TestVault.T(TestVault.Day1, 10, 0);

    private static List<string> Texts(VaultQuery query, string sql)
    {
        using var reader = query.Query(sql);
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsNull(0) ? "NULL" : reader.GetString(0));
        }

        return values;
    }

    private static void Compact(TestVault vault) =>
        Assert.Equal(0, new VaultCompactor(vault.Layout, new CompactionOptions { Time = TestClock.At(TestVault.Day1.AddDays(2), TimeOnly.MinValue) }).Run().Failed);

    private static void Fill(TestVault vault)
    {
        vault.AppendMicro(
            new QuoteRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = T0, Seq = 7, BidPx = "65000.1", BidSz = "1.50", AskPx = "65000.2", AskSz = "3", RecvTs = T0 + 4, Src = "ws" },
            new BookRecord
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Snapshot, Ts = T0, Seq = 100, Checksum = -1234567,
                Bids = [new("65000.1", "2"), new("64999.95", "0.001")], Asks = [new("65000.2", "3")], RecvTs = T0 + 4, Src = "ws",
            },
            new BookRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Resync, Ts = T0 + 1, Reason = "reconnect", RecvTs = T0 + 5, Src = "ws" },
            new LiquidationRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = T0, Side = "sell", Px = "64000.5", Sz = "12", PosSide = "long", BkLoss = "0", RecvTs = T0 + 4, Src = "ws" },
            new DerivativesRecord
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = T0, Channel = "funding-rate", FundingRate = "0.000079201912345", NextFundingTime = T0 + 3_600_000,
                RecvTs = T0 + 4, Src = "ws",
            });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MicroViews_JsonlOrParquet_ShowEveryFieldExactly(bool compacted)
    {
        using var vault = TestVault.Create();
        Fill(vault);
        if (compacted)
        {
            Compact(vault);
            Assert.False(File.Exists(vault.Layout.MicroDayJsonl(MicroKind.Book, "okx", "BTC-USDT-SWAP", TestVault.Day1)));
        }

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["okx|BTC-USDT-SWAP|2025-12-14|7|65000.1000000000|1.5000000000|65000.2000000000|3.0000000000|2025-12-14 10:00:00+00|DECIMAL(38,10)"],
            Texts(query, "select concat_ws('|', exchange, instId, date, seq, bidPx, bidSz, askPx, askSz, ts, typeof(bidPx)) from quotes"));
        Assert.Equal(["snapshot|100|-1234567|2|65000.1000000000|0.0010000000|65000.2000000000|STRUCT(px DECIMAL(38,10), sz DECIMAL(38,10))[]", "resync|STRUCT(px DECIMAL(38,10), sz DECIMAL(38,10))[]|reconnect"],
            Texts(query, "select concat_ws('|', type, seq, checksum, len(bids), bids[1].px, bids[2].sz, asks[1].px, typeof(bids), reason) from book order by ts"));
        Assert.Equal(["sell|64000.5000000000|12.0000000000|long|0.0000000000"],
            Texts(query, "select concat_ws('|', side, px, sz, posSide, bkLoss) from liquidations"));
        Assert.Equal(["funding-rate|0.0000792019123450000000000000|2025-12-14 11:00:00+00|DECIMAL(38,28)"],
            Texts(query, "select concat_ws('|', channel, fundingRate, nextFundingTime, typeof(fundingRate)) from derivatives"));
        Assert.Equal(["1"], Texts(query, "select count(*)::VARCHAR from derivatives where markPx is null")); // absent fields are NULL
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MicroViews_ValueItsTypeCannotHold_FailsTheQueryNamingIt(bool compacted)
    {
        using var vault = TestVault.Create();
        vault.AppendMicro(
            new QuoteRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = T0, Seq = 1, BidPx = "65000.12345678901", BidSz = "1", AskPx = "65000.2", AskSz = "1", RecvTs = T0, Src = "ws" },
            new BookRecord
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Snapshot, Ts = T0, Seq = 1,
                Bids = [new("65000.1", "0.00000000001")], Asks = [], RecvTs = T0, Src = "ws",
            });
        if (compacted)
        {
            Compact(vault);
        }

        using var query = VaultQuery.Open(vault.Layout);
        Assert.Equal(["1"], Texts(query, "select count(*)::VARCHAR from quotes")); // the line is not hidden
        var quote = Assert.Throws<DuckDbException>(() => Texts(query, "select bidPx::VARCHAR from quotes"));
        Assert.Contains($"quotes.bidPx 65000.12345678901 (ts ", quote.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit DECIMAL(38,10) exactly", quote.Message, StringComparison.Ordinal);
        var book = Assert.Throws<DuckDbException>(() => Texts(query, "select bids::VARCHAR from book"));
        Assert.Contains("book.bids sz 0.00000000001 (ts ", book.Message, StringComparison.Ordinal);
        Assert.Contains("2025-12-14.", book.Message, StringComparison.Ordinal);
        Assert.Equal(["1"], Texts(query, "select seq::VARCHAR from book")); // other columns still read
    }

    [Fact]
    public void MicroViews_TornOrGarbageLine_IsLeftOut()
    {
        using var vault = TestVault.Create();
        var path = vault.AppendMicro(new QuoteRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = T0, Seq = 1, BidPx = "1", BidSz = "1", AskPx = "2", AskSz = "1", RecvTs = T0, Src = "ws" })[0];
        File.AppendAllText(path, "not json\n{\"exchange\":\"okx\",\"inst");

        using var query = VaultQuery.Open(vault.Layout);

        Assert.Equal(["1"], Texts(query, "select count(*)::VARCHAR from quotes"));
    }
}
