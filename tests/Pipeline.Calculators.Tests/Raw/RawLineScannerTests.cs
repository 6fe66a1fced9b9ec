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
        var line = "{ \"src\":\"w\\u0073\", \"side\":\"buy\",\"qtyBase\":\"2\",\"px\":\"10.5\",\"ts\":1765670400042,\"tradeId\":\"41\",\"count\":3, " +
            "\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\",\"sz\":\"2\",\"ctVal\":\"1\",\"ctMult\":\"1\",\"ctType\":\"linear\",\"ctValCcy\":\"BTC\",\"recvTs\":1765670400050 }";
        Assert.True(RawLineScanner.TryScan(Encoding.UTF8.GetBytes(line), out var f, out var error), error);
        Assert.Equal(1765670400042, f.Ts);
        Assert.Equal(10.5m, f.Px);
        Assert.True(f.IsBuy);
        Assert.Equal(41, f.TradeIdNumber);
    }

    [Theory]
    [InlineData("{\"ts\":1765670400042,\"px\":\"1\",\"qtyBase\":\"1\",\"side\":\"buy\"}", "missing a required key")]
    [InlineData("{\"ts\":1,\"px\":\"1\",\"qtyBase\":\"1\",\"side\":\"buy\",\"tradeId\":\"1\"", "invalid JSON")]
    [InlineData("[1]", "invalid JSON")]
    public void TryScan_BadLine_ReasonNamesTheProblem(string line, string reason)
    {
        Assert.False(RawLineScanner.TryScan(Encoding.UTF8.GetBytes(line), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
