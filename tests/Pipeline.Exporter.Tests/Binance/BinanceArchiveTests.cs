using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Tests.Venues;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>The Binance aggTrades archive CSV reader on small files: header or not, booleans, corrupt zips.</summary>
public sealed class BinanceArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BinanceParse_NoHeaderAndUpperCaseBooleans_ReadsEveryRow()
    {
        var path = WireFixtures.Zip(_dir, "100,65000.1,0.004,200,201,1700000000000,TRUE\n101,65000.2,1.5,202,202,1700000000001,False\n");
        var trades = BinanceArchive.Parse(path, "X.zip", 7);
        Assert.Equal(2, trades.Count);
        Assert.Equal((100L, true, 200L, 201L, 1700000000000L), (trades[0].Id, trades[0].Sell, trades[0].FirstId, trades[0].LastId, trades[0].Ts));
        Assert.False(trades[1].Sell);
        Assert.Equal("0.004"u8.ToArray(), trades[0].SzSpan.ToArray());
    }

    [Fact]
    public void BinanceParse_HeaderInAnotherOrder_MapsByName()
    {
        var path = WireFixtures.Zip(_dir, "transact_time,agg_trade_id,price,quantity,first_trade_id,last_trade_id,is_buyer_maker\n1700000000000,5,10.5,2,1,3,false\n");
        var trade = Assert.Single(BinanceArchive.Parse(path, "X.zip", 0));
        Assert.Equal((5L, 1700000000000L, false), (trade.Id, trade.Ts, trade.Sell));
        Assert.Equal("10.5"u8.ToArray(), trade.PxSpan.ToArray());
    }

    [Fact]
    public void Parse_NotAZip_IsACorruptArchive()
    {
        var path = _dir.File("bad.zip");
        File.WriteAllText(path, "not a zip at all");
        var ex = Assert.Throws<BackfillDayException>(() => BinanceArchive.Parse(path, "bad.zip", 0));
        Assert.Contains("corrupt zip", ex.Message, StringComparison.Ordinal);
    }
}
