using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;

namespace Pipeline.Vault.Tests.Micro;

/// <summary>The microstructure line formats: written with keys in the documented order, read back to the same line.</summary>
public sealed class MicroLineTests
{
    [Fact]
    public void Quote_WrittenAndRead_SameLineWithExactStrings()
    {
        var quote = new QuoteRecord
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = 1720000000123, Seq = 42, BidPx = "65000.10", BidSz = "1.500",
            AskPx = "65000.2", AskSz = "0.00000001", RecvTs = 1720000000130, Src = "ws",
        };
        var line = MicroLineWriter.ToLine(quote);
        Assert.Equal("""{"exchange":"okx","instId":"BTC-USDT-SWAP","ts":1720000000123,"seq":42,"bidPx":"65000.10","bidSz":"1.500","askPx":"65000.2","askSz":"0.00000001","recvTs":1720000000130,"src":"ws"}""" + "\n", line);
        Assert.Equal(quote, MicroLineReader.Quote(line, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Book_SnapshotUpdateResync_RoundTrip()
    {
        BookRecord[] lines =
        [
            new() { Exchange = "binance", InstId = "BTCUSDT", Type = BookRecordType.Snapshot, Ts = 1, Seq = 100, Bids = [new("65000.1", "2")], Asks = [new("65000.2", "1"), new("65000.3", "4")], RecvTs = 2, Src = "rest" },
            new() { Exchange = "binance", InstId = "BTCUSDT", Type = BookRecordType.Update, Ts = 3, Seq = 105, PrevSeq = 100, FirstSeq = 101, Bids = [new("65000.1", "0")], RecvTs = 4, Src = "ws" },
            new() { Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Update, Ts = 5, Seq = 7, PrevSeq = 6, Asks = [new("1", "2")], Checksum = -1234567, RecvTs = 6, Src = "ws" },
            new() { Exchange = "okx", InstId = "BTC-USDT-SWAP", Type = BookRecordType.Resync, Ts = 7, Reason = "gap: prevSeq 9 after seq 7", RecvTs = 8, Src = "ws" },
        ];
        foreach (var record in lines)
        {
            var line = MicroLineWriter.ToLine(record);
            var read = MicroLineReader.Book(line, out var error);
            Assert.True(read is not null, error);
            Assert.Equal(line, MicroLineWriter.ToLine(read));
        }

        Assert.Equal("""{"exchange":"okx","instId":"BTC-USDT-SWAP","type":"resync","ts":7,"reason":"gap: prevSeq 9 after seq 7","recvTs":8,"src":"ws"}""" + "\n", MicroLineWriter.ToLine(lines[3]));
    }

    [Fact]
    public void LiquidationAndDerivatives_OptionalFieldsLeftOut_RoundTrip()
    {
        var liquidation = new LiquidationRecord { Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = 1, Side = "sell", Px = "64000", Sz = "3", PosSide = "long", BkLoss = "0", RecvTs = 2, Src = "ws" };
        var derivatives = new DerivativesRecord { Exchange = "binance", InstId = "BTCUSDT", Ts = 1, Channel = "markPrice", MarkPx = "65000.5", IndexPx = "64999.9", FundingRate = "0.0001", NextFundingTime = 1720022400000, RecvTs = 2, Src = "ws" };
        Assert.DoesNotContain("avgPx", MicroLineWriter.ToLine(liquidation), StringComparison.Ordinal);
        Assert.DoesNotContain("openInterest", MicroLineWriter.ToLine(derivatives), StringComparison.Ordinal);
        Assert.Equal(liquidation, MicroLineReader.Liquidation(MicroLineWriter.ToLine(liquidation), out _));
        Assert.Equal(derivatives, MicroLineReader.Derivatives(MicroLineWriter.ToLine(derivatives), out _));
    }

    [Theory]
    [InlineData("""{"exchange":"okx","instId":"X","type":"update","ts":1""", "not JSON")]
    [InlineData("""{"exchange":"okx","instId":"X","type":"delta","ts":1,"recvTs":2,"src":"ws"}""", "type 'delta'")]
    [InlineData("""{"exchange":"okx","instId":"X","type":"update","ts":1,"bids":[["1"]],"recvTs":2,"src":"ws"}""", "bids: a level")]
    [InlineData("""{"exchange":"okx","instId":"X","type":"update","ts":"1","recvTs":2,"src":"ws"}""", "ts missing or not an integer")]
    public void Book_BadLine_NullWithReason(string line, string reason)
    {
        Assert.Null(MicroLineReader.Book(line, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_MicroDay_NextToTradesPerps()
    {
        var vault = new VaultLayout("/v");
        Assert.Equal(Path.Combine("/v", "raw", "okx", "book_perps", "BTC-USDT-SWAP", "2024-07-03.jsonl"),
            vault.MicroDayJsonl(MicroKind.Book, "okx", "BTC-USDT-SWAP", new DateOnly(2024, 7, 3)));
        Assert.Equal(MicroKind.Liquidations, MicroKinds.Parse("liquidations"));
        Assert.Null(MicroKinds.Parse("trades"));
    }
}
