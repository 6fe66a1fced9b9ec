using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Tests.Venues;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>The OKX archive CSV reader on small files: header variants, bad rows.</summary>
public sealed class OkxArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OkxParse_LegacyBilingualHeader_SizeBeforePrice()
    {
        var path = WireFixtures.Zip(_dir, "trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间\n42,SELL,3,65000.5,1700000000000\n");
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
        var path = WireFixtures.Zip(_dir, "instrument_name,trade_id,side,price,size,created_time,source\n" + row + "\n");
        var ex = Assert.Throws<BackfillDayException>(() => OkxArchive.Parse(path, "F.zip", "BTC-USDT-SWAP", 0));
        Assert.Contains("F.zip line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
