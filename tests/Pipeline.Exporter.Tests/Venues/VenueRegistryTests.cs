using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Venues;

namespace Pipeline.Exporter.Tests.Venues;

/// <summary>The venue registry and the defaults the exporter and backfill used to branch on (IsOkx) before the venue modules.</summary>
public sealed class VenueRegistryTests
{
    [Fact]
    public void For_KnownExchanges_ReturnTheirModules()
    {
        Assert.IsType<OkxVenue>(VenueRegistry.For("okx"));
        Assert.IsType<BinanceVenue>(VenueRegistry.For("binance"));
        Assert.Equal(["okx", "binance"], VenueRegistry.Names);
    }

    [Fact]
    public void For_UnknownExchange_ThrowsNamingTheSupportedOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => VenueRegistry.For("kraken"));
        Assert.Equal("exchange 'kraken' is not supported (okx|binance)", ex.Message);
        Assert.False(VenueRegistry.IsKnown("OKX"));
    }

    [Fact]
    public void Defaults_PacingSilenceAndRestHost_AreTheFormerPerExchangeConstants()
    {
        var okx = VenueRegistry.Okx.Defaults;
        Assert.Equal((TimeSpan.FromMilliseconds(110), TimeSpan.FromSeconds(25), new Uri("https://www.okx.com")), (okx.RestInterval, okx.SilenceTimeout, okx.RestBase));
        var binance = VenueRegistry.Binance.Defaults;
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Uri("https://fapi.binance.com")), (binance.RestInterval, binance.SilenceTimeout, binance.RestBase));
    }

    [Fact]
    public void ExporterOptions_SilenceTimeout_FollowsTheExchangeAcrossWithCopies()
    {
        var okx = TestSpecs.Options("okx", "BTC-USDT-SWAP");
        Assert.Equal(TimeSpan.FromSeconds(25), okx.EffectiveSilenceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), (okx with { Exchange = "binance" }).EffectiveSilenceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), (okx with { DataSilenceTimeout = TimeSpan.FromSeconds(7) }).EffectiveSilenceTimeout);
    }

    [Fact]
    public void ExporterOptionsValidate_ChannelOnBinance_IsRejectedByTheBinanceModule()
    {
        var options = TestSpecs.Options("binance", "BTCUSDT") with { Channel = "trades" };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("--channel applies to OKX only (Binance records aggTrade)", ex.Message);
        (options with { Exchange = "okx", InstIds = ["BTC-USDT-SWAP"] }).Validate();
    }

    [Fact]
    public void BackfillOptions_RestUrl_DefaultsToTheVenuesProductionHost()
    {
        var day = new DateOnly(2026, 3, 1);
        var okx = new BackfillOptions { Exchange = "okx", InstIds = ["BTC-USDT-SWAP"], From = day, To = day };
        Assert.Equal(new Uri("https://www.okx.com"), okx.EffectiveRestUrl);
        Assert.Equal(new Uri("https://fapi.binance.com"), (okx with { Exchange = "binance" }).EffectiveRestUrl);
        Assert.Equal(new Uri("http://127.0.0.1:9"), (okx with { RestUrl = new Uri("http://127.0.0.1:9") }).EffectiveRestUrl);
    }

    [Fact]
    public void InstrumentsEndpoint_PerVenue_IsTheDocumentedPath()
    {
        Assert.Equal("https://www.okx.com/api/v5/public/instruments?instType=SWAP",
            VenueRegistry.Okx.InstrumentsEndpoint(VenueRegistry.Okx.Defaults.RestBase).ToString());
        Assert.Equal("https://fapi.binance.com/fapi/v1/exchangeInfo",
            VenueRegistry.Binance.InstrumentsEndpoint(VenueRegistry.Binance.Defaults.RestBase).ToString());
    }

    [Fact]
    public void RateLimitReason_OkxCode50011InABody_OnlyOnOkx()
    {
        var body = """{"code":"50011","msg":"Rate limit reached. Please refer to API documentation and throttle requests accordingly.","data":[]}"""u8;
        Assert.Equal("OKX code 50011 (rate limit)", VenueRegistry.Okx.RateLimitReason(body));
        Assert.Null(VenueRegistry.Okx.RateLimitReason("""{"code":"0","msg":"","data":[]}"""u8));
        Assert.Null(VenueRegistry.Binance.RateLimitReason(body));
    }
}
