using System.Text;
using Pipeline.Calculators.Raw;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Tests.Raw;

public sealed class RawLineScannerTests
{
    [Fact]
    public void TryScan_WriterLine_ReadsTheFields()
    {
        var line = RawTradeWriter.ToLine(TestVault.Trade(1720000000123, "65000.1", "0.04", "sell", "1234567888"));
        Assert.True(RawLineScanner.TryScan(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var f, out var error), error);
        Assert.Equal(1720000000123, f.Ts);
        Assert.Equal(65000.1m, f.Px);
        Assert.Equal(0.04m, f.QtyBase);
        Assert.False(f.IsBuy);
        Assert.Equal("1234567888", Encoding.UTF8.GetString(f.TradeId));
    }

    [Fact]
    public void TryScan_KeysInAnyOrderWithEscapes_ReadsTheFields()
    {
        var line = "{ \"src\":\"w\\\"s\", \"side\":\"buy\",\"qtyBase\":\"2\",\"px\":\"10.5\",\"ts\":42,\"tradeId\":\"a-1\",\"count\":3 }";
        Assert.True(RawLineScanner.TryScan(Encoding.UTF8.GetBytes(line), out var f, out var error), error);
        Assert.Equal(42, f.Ts);
        Assert.Equal(10.5m, f.Px);
        Assert.True(f.IsBuy);
        Assert.Equal("a-1", Encoding.UTF8.GetString(f.TradeId));
    }

    [Theory]
    [InlineData("{\"ts\":1,\"px\":\"1\",\"qtyBase\":\"1\",\"side\":\"buy\"}", "missing tradeId")]
    [InlineData("{\"ts\":1,\"px\":1,\"qtyBase\":\"1\",\"side\":\"buy\",\"tradeId\":\"1\"}", "px")]
    [InlineData("{\"ts\":1,\"px\":\"1\",\"qtyBase\":\"1\",\"side\":\"hold\",\"tradeId\":\"1\"}", "side")]
    [InlineData("{\"ts\":1,\"px\":\"1\",\"qtyBase\":\"1\",\"side\":\"buy\",\"tradeId\":\"1\"", "truncated")]
    [InlineData("[1]", "not a JSON object")]
    public void TryScan_BadLine_ReasonNamesTheProblem(string line, string reason)
    {
        Assert.False(RawLineScanner.TryScan(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
