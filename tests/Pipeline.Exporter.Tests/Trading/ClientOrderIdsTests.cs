using System.Text.RegularExpressions;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Trading;

public sealed class ClientOrderIdsTests
{
    private static readonly long Minute = new DateTimeOffset(2026, 11, 30, 8, 41, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void For_SameInputs_SameIdAndReadsBack()
    {
        var id = ClientOrderIds.For("vwap_btc", Minute, ClientOrderIds.Entry);
        Assert.Equal(id, ClientOrderIds.For("vwap_btc", Minute, ClientOrderIds.Entry));
        Assert.Equal(20, id.Length);
        Assert.StartsWith("pl", id, StringComparison.Ordinal);
        Assert.EndsWith("2611300841e0", id, StringComparison.Ordinal); // the minute in UTC, leg, attempt: readable by eye

        Assert.True(ClientOrderIds.TryParse(id, out var strategy, out var minute, out var leg, out var attempt));
        Assert.Equal(ClientOrderIds.StrategyPart("vwap_btc"), strategy);
        Assert.Equal(Minute, minute);
        Assert.Equal('e', leg);
        Assert.Equal(0, attempt);
    }

    [Fact]
    public void For_AnyInput_ValidForBinanceAndOkx()
    {
        var binance = new Regex("^[\\.A-Z\\:/a-z0-9_-]{1,36}$");
        var okx = new Regex("^[A-Za-z0-9]{1,32}$");
        foreach (var strategy in new[] { "a", "vwap mean reversion", "Ünïcode-策略", new string('x', 300) })
        {
            foreach (var leg in "etsvhk")
            {
                var id = ClientOrderIds.For(strategy, Minute, leg, 9);
                Assert.Matches(binance, id);
                Assert.Matches(okx, id);
            }
        }
    }

    [Fact]
    public void For_DifferentStrategyMinuteLegOrAttempt_DifferentId()
    {
        var ids = new[]
        {
            ClientOrderIds.For("s1", Minute, 'e'), ClientOrderIds.For("s2", Minute, 'e'),
            ClientOrderIds.For("s1", Minute + 60_000, 'e'), ClientOrderIds.For("s1", Minute, 't'), ClientOrderIds.For("s1", Minute, 'e', 1),
        };
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x-manual-order")]
    [InlineData("plabcdef2611300841q0")] // unknown leg
    [InlineData("plabcdef2613300841e0")] // month 13
    public void TryParse_ForeignId_False(string? id) =>
        Assert.False(ClientOrderIds.TryParse(id, out _, out _, out _, out _));

    [Fact]
    public void For_NotAWholeMinuteOrBadLeg_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For("s", Minute + 1, 'e'));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For("s", Minute, 'z'));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientOrderIds.For("s", Minute, 'e', 10));
    }
}
