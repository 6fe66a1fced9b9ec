using System.Text.Json;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Okx.Trading;

/// <summary>Base coin to contracts and prices to the tick, worked by hand (BTC-USDT-SWAP: ctVal 0.01, lot 0.01, tick 0.1); OKX codes to error kinds.</summary>
public sealed class OkxContractTests
{
    private static OkxContract Btc() => OkxContract.Parse(JsonDocument.Parse(
        """{"instId":"BTC-USDT-SWAP","ctType":"linear","ctValCcy":"BTC","ctVal":"0.01","lotSz":"0.01","tickSz":"0.1","minSz":"0.01","settleCcy":"USDT"}""").RootElement);

    [Theory]
    [InlineData("0.01", "1")]
    [InlineData("0.00025", "0.02")] // 0.025 contracts: down to the lot, never more than asked
    [InlineData("0.0199999", "1.99")]
    [InlineData("0.00009", "0")]
    public void Contracts_BaseQuantity_DividedByCtValRoundedDownToTheLot(string baseQty, string contracts) =>
        Assert.Equal(decimal.Parse(contracts, System.Globalization.CultureInfo.InvariantCulture),
            Btc().Contracts(decimal.Parse(baseQty, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(VenueSide.Buy, true, "100.0")]   // a maker buy goes down, away from the ask
    [InlineData(VenueSide.Sell, true, "100.1")]  // a maker sell goes up, away from the bid
    [InlineData(VenueSide.Buy, false, "100.1")]  // an IOC buy's worst price goes up, towards the book
    [InlineData(VenueSide.Sell, false, "100.0")]
    public void RoundPrice_OffTheTick_MakerAwayFromCrossingTakerTowardsTheBook(VenueSide side, bool maker, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Btc().RoundPrice(100.06m, side, maker));

    [Fact]
    public void RoundPrice_OnTheTick_Unchanged() => Assert.Equal(100.1m, Btc().RoundPrice(100.1m, VenueSide.Buy, maker: true));

    [Fact]
    public void EnsureLinear_InverseSwap_RejectedNamingIt()
    {
        var inverse = Btc() with { InstId = "BTC-USD-SWAP", CtType = "inverse", CtValCcy = "USD", CtVal = 100 };
        var e = Assert.Throws<VenueException>(inverse.EnsureLinear);
        Assert.Equal(VenueErrorKind.Rejected, e.Kind);
        Assert.Contains("BTC-USD-SWAP is an inverse contract (ctVal 100 USD)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("50113", 401, true, VenueErrorKind.Auth)]
    [InlineData("50111", 401, false, VenueErrorKind.Auth)]
    [InlineData("50105", 401, false, VenueErrorKind.Auth)]
    [InlineData("50101", 401, true, VenueErrorKind.Auth)]
    [InlineData("50120", 200, true, VenueErrorKind.Auth)]
    [InlineData("", 401, false, VenueErrorKind.Auth)]
    [InlineData("50011", 429, true, VenueErrorKind.RateLimited)]
    [InlineData("", 429, true, VenueErrorKind.RateLimited)]
    [InlineData("50004", 200, true, VenueErrorKind.Unknown)]
    [InlineData("", 502, true, VenueErrorKind.Unknown)]
    [InlineData("", 502, false, VenueErrorKind.Unavailable)]
    [InlineData("50102", 401, true, VenueErrorKind.Unavailable)]
    [InlineData("51008", 200, true, VenueErrorKind.Rejected)]
    [InlineData("51169", 200, true, VenueErrorKind.Rejected)]
    [InlineData("51603", 200, false, VenueErrorKind.Rejected)]
    public void KindOf_OkxCode_WhatTheCallerMustDo(string code, int status, bool isOrder, VenueErrorKind kind) =>
        Assert.Equal(kind, OkxErrors.KindOf(code, status, isOrder));

    [Theory]
    [InlineData("31", "post-only would take liquidity (okx cancelSource 31)")]
    [InlineData("1", "canceled by the user (okx cancelSource 1)")]
    [InlineData("99", "canceled by okx (cancelSource 99)")]
    public void CancelReason_CancelSource_InWords(string source, string reason) => Assert.Equal(reason, OkxOrderVenue.CancelReason(source));
}
