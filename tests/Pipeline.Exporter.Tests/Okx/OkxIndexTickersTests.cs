using System.Text;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Tests.Venues;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>
/// OKX's index price (<see cref="OkxIndexTickers"/>): the <c>index-tickers</c> push, keyed by the index, becomes a
/// derivatives line with <c>indexPx</c> for each recorded swap on that index; the documentation example is read field by field.
/// </summary>
public sealed class OkxIndexTickersTests
{
    private readonly IndexSink _sink = new();

    [Fact]
    public void TryParse_IndexTickersFixture_IsDerivativesWithIndexPriceFiledUnderTheSwap()
    {
        var protocol = new OkxMicroProtocol(["BTC-USDT-SWAP", "ETH-USDT-SWAP"]);

        Assert.True(protocol.TryParse(WireFixtures.Bytes("Okx", "ws-index-tickers-push.json"), 9, _sink, out var problem), problem);

        Assert.Equal(new DerivativesRecord
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = 1597026383085, Channel = "index-tickers", IndexPx = "0.1", RecvTs = 9, Src = "ws",
        }, Assert.Single(_sink.DerivativesSeen));
    }

    [Fact]
    public void TryParse_IndexOfNoRecordedSwap_IsRefused()
    {
        var protocol = new OkxMicroProtocol(["ETH-USDT-SWAP"]);

        Assert.False(protocol.TryParse(WireFixtures.Bytes("Okx", "ws-index-tickers-push.json"), 9, _sink, out var problem));
        Assert.Equal("unknown instId BTC-USDT", problem);
        Assert.Empty(_sink.DerivativesSeen);
    }

    [Theory]
    [InlineData("{\"arg\":{\"channel\":\"index-tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"idxPx\":\"0\",\"ts\":\"1\"}]}", "idxPx is not a positive plain decimal string")]
    [InlineData("{\"arg\":{\"channel\":\"index-tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"idxPx\":\"1e3\",\"ts\":\"1\"}]}", "idxPx is not a positive plain decimal string")]
    [InlineData("{\"arg\":{\"channel\":\"index-tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"BTC-USDT\",\"idxPx\":\"65000.1\"}]}", "index-tickers row lacks ts")]
    [InlineData("{\"arg\":{\"channel\":\"index-tickers\",\"instId\":\"BTC-USDT\"},\"data\":[{\"instId\":\"ETH-USDT\",\"idxPx\":\"1\",\"ts\":\"1\"}]}", "row instId differs from the subscribed index BTC-USDT")]
    public void TryParse_MalformedIndexRow_IsRefusedWithTheReason(string frame, string expected)
    {
        var protocol = new OkxMicroProtocol(["BTC-USDT-SWAP"]);

        Assert.False(protocol.TryParse(Encoding.UTF8.GetBytes(frame), 1, _sink, out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("BTC-USDT-SWAP", "BTC-USDT")]
    [InlineData("BTC-USD-SWAP", "BTC-USD")]
    [InlineData("BTC-USD-250627", null)]
    [InlineData("-SWAP", null)]
    public void IndexOf_Swap_IsItsUnderlying(string instId, string? index) => Assert.Equal(index, OkxIndexTickers.IndexOf(instId));

    /// <summary>Keeps the derivatives lines the parser emits (this channel emits nothing else).</summary>
    private sealed class IndexSink : IMicroSink
    {
        public List<DerivativesRecord> DerivativesSeen { get; } = [];

        public void Quote(QuoteRecord quote) => throw new InvalidOperationException("index-tickers emitted a quote");

        public void Book(BookRecord book) => throw new InvalidOperationException("index-tickers emitted a book line");

        public void Liquidation(LiquidationRecord liquidation) => throw new InvalidOperationException("index-tickers emitted a liquidation");

        public void Derivatives(DerivativesRecord derivatives) => DerivativesSeen.Add(derivatives);
    }
}
