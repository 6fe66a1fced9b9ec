using Pipeline.Vault.Layout;

namespace Pipeline.Vault.Tests.Layout;

public sealed class VaultNamesTests
{
    [Theory]
    [InlineData("BTCUSDT\n")]
    [InlineData("BTC-USDT-SWAP\n")]
    [InlineData("BTCUSDT\r\n")]
    [InlineData("BTCUSDT\nX")]
    public void IsInstId_TrailingNewline_Rejected(string instId)
    {
        Assert.False(VaultNames.IsInstId(instId));
        Assert.Throws<VaultPathException>(() => VaultNames.InstId(instId));
    }

    [Theory]
    [InlineData("okx\n")]
    [InlineData("binance\n")]
    public void IsExchange_TrailingNewline_Rejected(string exchange)
    {
        Assert.False(VaultNames.IsExchange(exchange));
        Assert.Throws<VaultPathException>(() => VaultNames.Exchange(exchange));
    }

    [Theory]
    [InlineData("bars_1m\n")]
    [InlineData("vwap_mr\n")]
    public void IsName_TrailingNewline_Rejected(string name)
    {
        Assert.False(VaultNames.IsName(name));
        Assert.Throws<VaultPathException>(() => VaultNames.Name(name));
    }

    [Theory]
    [InlineData("BTCUSDT")]
    [InlineData("BTC-USDT-SWAP")]
    [InlineData("1000PEPEUSDT")]
    public void IsInstId_PlainIds_Accepted(string instId) => Assert.True(VaultNames.IsInstId(instId));
}
