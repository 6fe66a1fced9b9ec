using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Okx.Trading;

public sealed class OkxErrorsTests
{
    // Codes from OKX's private WebSocket error table (PROTOCOL.md "Private API", WS login errors).
    [Theory]
    [InlineData("60005", VenueErrorKind.Auth)] // invalid apiKey
    [InlineData("60007", VenueErrorKind.Auth)] // invalid sign
    [InlineData("60024", VenueErrorKind.Auth)] // wrong passphrase
    [InlineData("60006", VenueErrorKind.Unavailable)] // timestamp request expired: the clock, not the key
    [InlineData("60011", VenueErrorKind.Rejected)] // please log in
    public void WebSocketKindOf_LoginRefusal_KeyErrorsAreAuthClockIsNot(string code, VenueErrorKind expected) =>
        Assert.Equal(expected, OkxErrors.WebSocketKindOf(code));
}
