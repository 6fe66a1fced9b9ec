using System.Globalization;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Simulator.Truth;

/// <summary>
/// The truth's qtyBase is exact rational arithmetic, apart from the product's ContractMath. The expected
/// texts below are written by hand from the documented rule, not computed by either implementation.
/// </summary>
public sealed class TruthQuantityTests
{
    [Theory]
    [InlineData("4", "65000.1", "0.01", "1", "0.04")] // the README's example line
    [InlineData("0.5", "65000.1", "0.01", "1", "0.005")]
    [InlineData("250", "3000", "0.1", "10", "250")]
    [InlineData("1.20", "1", "1", "1", "1.2")] // trailing zeros removed
    [InlineData("0", "1", "0.01", "1", "0")]
    public void QtyBase_Linear_IsSzTimesCtValTimesCtMult(string sz, string px, string ctVal, string ctMult, string expected) =>
        Assert.Equal(expected, TruthQuantity.QtyBase(sz, px, ctVal, ctMult, inverse: false));

    [Theory]
    [InlineData("8", "90000", "100", "1", "0.0088888888888888888888888889")] // 800/90000: 28 digits, last one rounded up
    [InlineData("1", "3", "100", "1", "33.333333333333333333333333333")] // 27 digits: a 28th would not fit 96 bits
    [InlineData("2", "3", "100", "1", "66.666666666666666666666666667")] // ...and rounds up
    [InlineData("7", "90000.1", "100", "1", "0.0077777691358120713199207556")] // next digits 4360…: down
    [InlineData("1", "536870912", "1", "1", "0.0000000018626451492309570312")] // 2^-29 ends in …5 at digit 29: half to even
    [InlineData("3", "536870912", "1", "1", "0.0000000055879354476928710938")] // 3·2^-29 ends in …75: tie, to even (up)
    [InlineData("5", "80000", "100", "1", "0.00625")] // terminates: exact
    public void QtyBase_Inverse_IsRoundedOnceByTheDocumentedRule(string sz, string px, string ctVal, string ctMult, string expected) =>
        Assert.Equal(expected, TruthQuantity.QtyBase(sz, px, ctVal, ctMult, inverse: true));

    [Fact]
    public void TruthTrade_BinanceAggTrade_KeepsQAsSzAndWritesItsValueCanonically()
    {
        var trade = TruthWriter.ToRawTrade(SimInstruments.Find("BTCUSDT"), new SimPrint(7, 1_780_000_000_000, 900_001, 10, true, 0, 1, 70, 70));
        Assert.Equal(("0.010", "0.01", "90000.1"), (trade.Sz, trade.QtyBase, trade.Px));
    }

    [Fact]
    public void TruthTrade_OkxInverse_UsesTheTruthsOwnArithmetic()
    {
        var trade = TruthWriter.ToRawTrade(SimInstruments.Find("BTC-USD-SWAP"), new SimFill(5, 1_780_000_000_000, 900_001, 7, false, 0));
        Assert.Equal(("90000.1", "7", "0.0077777691358120713199207556"), (trade.Px, trade.Sz, trade.QtyBase));
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("")]
    public void Parse_NotPlainDecimal_Throws(string text) => Assert.Throws<FormatException>(() => TruthQuantity.Parse(text));

    /// <summary>
    /// Two implementations of one rule must agree on every quantity the simulator can produce; a difference
    /// here is a bug in one of them (the pinned cases above say which).
    /// </summary>
    [Fact]
    public void QtyBase_SimulatorRange_AgreesWithContractMath()
    {
        var random = new Random(42);
        foreach (var instrument in SimInstruments.All.Where(i => i.IsOkx))
        {
            var inverse = instrument.CtType == "inverse";
            for (var i = 0; i < 20_000; i++)
            {
                var sz = instrument.FormatSize(random.NextInt64(1, 100_000));
                var px = instrument.FormatPrice((long)(instrument.BasePrice * (decimal)Math.Pow(10, instrument.PriceScale) * (decimal)(0.5 + random.NextDouble())));
                var expected = ContractMath.QtyBase(sz, px, instrument.CtVal, instrument.CtMult, instrument.CtType, instrument.CtValCcy, instrument.BaseCcy);
                Assert.Equal(expected, TruthQuantity.QtyBase(sz, px, instrument.CtVal, instrument.CtMult, inverse));
            }
        }

        for (var i = 0; i < 20_000; i++)
        {
            var sz = random.NextInt64(1, 10_000_000).ToString(CultureInfo.InvariantCulture);
            var px = (random.NextInt64(1, 1_000_000_000) / 100m).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(ContractMath.QtyBase(sz, px, "10", "1", "inverse", "USD"), TruthQuantity.QtyBase(sz, px, "10", "1", inverse: true));
        }
    }
}
