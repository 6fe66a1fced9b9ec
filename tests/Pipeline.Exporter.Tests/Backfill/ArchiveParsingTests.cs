using System.IO.Compression;
using System.Text;
using Pipeline.Exporter.Backfill;

namespace Pipeline.Exporter.Tests.Backfill;

/// <summary>The archive CSV readers on small committed-in-code files: header variants, booleans, bad rows.</summary>
public sealed class ArchiveParsingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Zip(string csv)
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(zip.CreateEntry("X.csv").Open(), new UTF8Encoding(false));
        writer.Write(csv);
        return path;
    }

    [Fact]
    public void BinanceParse_NoHeaderAndUpperCaseBooleans_ReadsEveryRow()
    {
        var path = Zip("100,65000.1,0.004,200,201,1700000000000,TRUE\n101,65000.2,1.5,202,202,1700000000001,False\n");
        var trades = BinanceArchive.Parse(path, "X.zip", 7);
        Assert.Equal(2, trades.Count);
        Assert.Equal((100L, true, 200L, 201L, 1700000000000L), (trades[0].Id, trades[0].Sell, trades[0].FirstId, trades[0].LastId, trades[0].Ts));
        Assert.False(trades[1].Sell);
        Assert.Equal("0.004"u8.ToArray(), trades[0].SzSpan.ToArray());
    }

    [Fact]
    public void BinanceParse_HeaderInAnotherOrder_MapsByName()
    {
        var path = Zip("transact_time,agg_trade_id,price,quantity,first_trade_id,last_trade_id,is_buyer_maker\n1700000000000,5,10.5,2,1,3,false\n");
        var trade = Assert.Single(BinanceArchive.Parse(path, "X.zip", 0));
        Assert.Equal((5L, 1700000000000L, false), (trade.Id, trade.Ts, trade.Sell));
        Assert.Equal("10.5"u8.ToArray(), trade.PxSpan.ToArray());
    }

    [Fact]
    public void OkxParse_LegacyBilingualHeader_SizeBeforePrice()
    {
        var path = Zip("trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间\n42,SELL,3,65000.5,1700000000000\n");
        var trade = Assert.Single(OkxArchive.Parse(path, "X.zip", "BTC-USDT-SWAP", 0));
        Assert.Equal((42L, true), (trade.Id, trade.Sell));
        Assert.Equal("3"u8.ToArray(), trade.SzSpan.ToArray());
        Assert.Equal("65000.5"u8.ToArray(), trade.PxSpan.ToArray());
    }

    [Theory]
    [InlineData("ETH-USDT-SWAP,1,buy,1,1,1700000000000,0", "instrument_name 'ETH-USDT-SWAP'")]
    [InlineData("BTC-USDT-SWAP,1,hold,1,1,1700000000000,0", "side 'hold'")]
    [InlineData("BTC-USDT-SWAP,1,buy,1e3,1,1700000000000,0", "price '1e3'")]
    [InlineData("BTC-USDT-SWAP,x,buy,1,1,1700000000000,0", "trade_id 'x'")]
    public void OkxParse_BadRow_FailsNamingFileLineAndField(string row, string reason)
    {
        var path = Zip("instrument_name,trade_id,side,price,size,created_time,source\n" + row + "\n");
        var ex = Assert.Throws<BackfillDayException>(() => OkxArchive.Parse(path, "F.zip", "BTC-USDT-SWAP", 0));
        Assert.Contains("F.zip line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
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
