using System.Text;
using Pipeline.Exporter.Binance.Trading;

namespace Pipeline.Exporter.Tests.Binance.Trading;

/// <summary>Exchange filters applied before sending, checked against hand-worked numbers (BTCUSDT: tick 0.1, step 0.001, min notional 100).</summary>
public sealed class BinanceSymbolFiltersTests
{
    private static readonly BinanceSymbolFilters Btc = new("BTCUSDT", 0.1m, 0.001m, 0.001m, 0.001m, 0.001m, 100m);

    [Theory]
    [InlineData("65000.17", BinanceOrderSide.Buy, "65000.1")] // a buy rounds down: never more aggressive
    [InlineData("65000.11", BinanceOrderSide.Sell, "65000.2")] // a sell rounds up
    [InlineData("65000.1", BinanceOrderSide.Buy, "65000.1")] // already on the grid: unchanged
    [InlineData("65000.10000", BinanceOrderSide.Sell, "65000.1")] // trailing zeros do not survive
    public void RoundPrice_OffTheTickGrid_RoundedAwayFromCrossing(string price, BinanceOrderSide side, string expected) =>
        Assert.Equal(expected, BinanceDecimal.Format(Btc.RoundPrice(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), side)));

    [Fact]
    public void Apply_QuantityOffTheStep_RoundedDownAndFormattedPlain()
    {
        var (qty, price) = Btc.Apply(BinanceOrderSide.Buy, 0.0029999m, 65000.19m, market: false, reduceOnly: false);
        Assert.Equal(("0.002", "65000.1"), (BinanceDecimal.Format(qty), BinanceDecimal.Format(price)));
        // 0.002 × 65000.1 = 130.0002 ≥ 100.
    }

    [Fact]
    public void Apply_BelowMinNotional_RefusedBeforeSendingUnlessReduceOnly()
    {
        // 0.0015 rounds down to 0.001; 0.001 × 65000.1 = 65.0001 < 100.
        var e = Assert.Throws<BinanceFilterException>(() => Btc.Apply(BinanceOrderSide.Buy, 0.0015m, 65000.1m, market: false, reduceOnly: false));
        Assert.Equal("BTCUSDT: notional 65.0001 (0.001 x 65000.1) is below the minimum 100", e.Message);
        Assert.Equal(0.001m, Btc.Apply(BinanceOrderSide.Sell, 0.0015m, 65000.1m, market: true, reduceOnly: true).Quantity);
    }

    [Fact]
    public void Apply_RoundsToZeroQuantity_RefusedBelowMinQty()
    {
        var e = Assert.Throws<BinanceFilterException>(() => Btc.Apply(BinanceOrderSide.Sell, 0.0009m, 65000m, market: true, reduceOnly: true));
        Assert.Equal("BTCUSDT: quantity 0.0009 rounds down to 0, below the minimum 0.001", e.Message);
    }

    [Theory]
    [InlineData("0.00000001", "0.00000001")]
    [InlineData("100.000", "100")]
    [InlineData("1E-7", "0.0000001")]
    public void Format_AnyScale_NoExponentNoTrailingZeros(string input, string expected) =>
        Assert.Equal(expected, BinanceDecimal.Format(decimal.Parse(input, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Parse_ExchangeInfoFilters_TickStepMinQtyAndNotional()
    {
        const string json = """
            {"symbols":[{"symbol":"ETHUSDT","filters":[]},{"symbol":"BTCUSDT","filters":[
            {"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
            {"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"1000","minQty":"0.001"},
            {"filterType":"MARKET_LOT_SIZE","stepSize":"0.01","maxQty":"120","minQty":"0.01"},
            {"filterType":"MIN_NOTIONAL","notional":"100"}]}]}
            """;
        var f = BinanceSymbolFilters.Parse(Encoding.UTF8.GetBytes(json), "BTCUSDT");
        Assert.Equal(new BinanceSymbolFilters("BTCUSDT", 0.1m, 0.001m, 0.001m, 0.01m, 0.01m, 100m), f);
        Assert.Throws<InvalidDataException>(() => BinanceSymbolFilters.Parse(Encoding.UTF8.GetBytes(json), "ETHUSDT"));
        Assert.Throws<InvalidDataException>(() => BinanceSymbolFilters.Parse(Encoding.UTF8.GetBytes(json), "SOLUSDT"));
    }
}
