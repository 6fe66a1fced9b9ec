using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.Trades;

public sealed class RawTradeTests
{
    private static RawTrade Sample(string px = "65000.1", string sz = "4", string qty = "0.04") => new()
    {
        Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = "1234567888", Ts = 1720000000123, Px = px, Sz = sz,
        Side = "sell", CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = qty,
        RecvTs = 1720000000150, Src = "ws",
    };

    [Fact]
    public void ToLine_DesignExample_KeysInDocumentedOrder()
    {
        const string expected = """{"exchange":"okx","instId":"BTC-USDT-SWAP","tradeId":"1234567888","ts":1720000000123,"px":"65000.1","sz":"4","side":"sell","ctVal":"0.01","ctMult":"1","ctType":"linear","ctValCcy":"BTC","qtyBase":"0.04","recvTs":1720000000150,"src":"ws"}""";
        Assert.Equal(expected + "\n", RawTradeWriter.ToLine(Sample()));
    }

    [Theory]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("101245.7", "101245.7")]
    [InlineData("65000.10000", "1.000")]
    [InlineData("79228162514264.33754395033", "0.0000000000000000001")]
    public void ParseWrite_DecimalStrings_RoundTripUnchanged(string px, string qty)
    {
        var line = RawTradeWriter.ToLine(Sample(px: px, qty: qty));
        var parsed = new RawTradeParser().Parse(line);
        Assert.Equal(px, parsed.Px);
        Assert.Equal(qty, parsed.QtyBase);
        Assert.Equal(line, RawTradeWriter.ToLine(parsed));
    }

    [Fact]
    public void ParseWrite_BinanceExtras_RoundTrip()
    {
        var trade = Sample() with { Exchange = "binance", InstId = "BTCUSDT", FirstId = 5129698194, LastId = 5129698195 };
        var line = RawTradeWriter.ToLine(trade);
        Assert.EndsWith(""","src":"ws","firstId":5129698194,"lastId":5129698195}""" + "\n", line, StringComparison.Ordinal);
        Assert.Equal(trade, new RawTradeParser().Parse(line));
    }

    [Theory]
    [InlineData("""{"exchange":"okx"}""", "missing a required key")]
    [InlineData("""{"exchange":"okx","instId":"X","tradeId":"1","ts":1720000000123,"px":"1e5","sz":"1","side":"buy","ctVal":"1","ctMult":"1","ctType":"linear","ctValCcy":"BTC","qtyBase":"1","recvTs":1,"src":"ws"}""", "plain decimal")]
    [InlineData("""{"exchange":"okx","instId":"X","tradeId":"1","ts":1720000000123,"px":"1","sz":"1","side":"up","ctVal":"1","ctMult":"1","ctType":"linear","ctValCcy":"BTC","qtyBase":"1","recvTs":1,"src":"ws"}""", "side")]
    [InlineData("""{"exchange":"okx","instId":"X","tr""", "invalid JSON")]
    [InlineData("garbage", "invalid JSON")]
    public void TryParse_BadLine_ReturnsReason(string line, string reason)
    {
        Assert.False(new RawTradeParser().TryParse(System.Text.Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0.00000001", true)]
    [InlineData("-3.5", true)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1e5", false)]
    [InlineData("+1", false)]
    [InlineData("NaN", false)]
    [InlineData("", false)]
    public void IsPlain_Text_Classifies(string text, bool expected) => Assert.Equal(expected, ExactDecimal.IsPlain(text));

    [Theory]
    [InlineData("0.040", "0.04")]
    [InlineData("100.000", "100")]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("-0.0", "0")]
    public void Format_Decimal_Canonical(string input, string expected) =>
        Assert.Equal(expected, ExactDecimal.Format(ExactDecimal.Parse(input)));

    [Fact]
    public void Day_EventTime_IsUtcDay()
    {
        Assert.Equal(new DateOnly(2024, 7, 3), TradeTime.Day(1720000000123));
        Assert.Equal(new DateOnly(1969, 12, 31), TradeTime.Day(-1));
        Assert.Equal(1719964800000, TradeTime.DayStartMs(new DateOnly(2024, 7, 3)));
    }
}

public sealed class ContractMathTests
{
    [Fact]
    public void QtyBase_LinearOkx_SizeTimesCtVal() =>
        Assert.Equal("0.04", ContractMath.QtyBase("4", "65000.1", "0.01", "1", "linear", "BTC", "BTC"));

    [Fact]
    public void QtyBase_InverseOkx_UsdOverPrice() =>
        Assert.Equal("0.0025", ContractMath.QtyBase("2", "80000", "100", "1", "inverse", "USD", "BTC"));

    [Fact]
    public void QtyBase_ConvertExample_MatchesOkxDocs()
    {
        // OKX convert-contract-coin: 311 contracts of BTC-USD-SWAP at 35000 ≈ 0.888 BTC.
        var qty = ExactDecimal.Parse(ContractMath.QtyBase("311", "35000", "100", "1", "inverse", "USD", "BTC"));
        Assert.Equal(0.888571m, decimal.Round(qty, 6));
    }
}
