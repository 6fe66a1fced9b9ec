using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>
/// The worked HMAC-SHA256 example of Binance's USD-M documentation ("SIGNED Endpoint Examples for POST /fapi/v1/order",
/// developers.binance.com/docs/derivatives/usds-margined-futures/general-info): its key, secret, query and signature.
/// </summary>
public sealed class BinanceSignerTests
{
    private const string DocApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
    private const string DocSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
    private const string DocQuery = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
    private const string DocSignature = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";

    private static readonly BinanceSigner Signer = new(ApiCredentials.Create("binance", DocApiKey, DocSecret, null, "test"));

    [Fact]
    public void Sign_DocumentedExample_DocumentedSignature() => Assert.Equal(DocSignature, Signer.Sign(DocQuery));

    [Fact]
    public void SignQuery_DocumentedOrderParameters_DocumentedQueryString()
    {
        var query = Signer.SignQuery("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC", 1591702613943, 5000);

        Assert.Equal(DocQuery + "&signature=" + DocSignature, query);
    }

    [Fact]
    public void SignQuery_NoParameters_NoLeadingAmpersand()
    {
        var query = Signer.SignQuery("", 1591702613943);

        Assert.StartsWith("recvWindow=5000&timestamp=1591702613943&signature=", query, StringComparison.Ordinal);
        Assert.Equal(Signer.Sign("recvWindow=5000&timestamp=1591702613943"), query[(query.LastIndexOf('=') + 1)..]);
    }

    [Fact]
    public void Sign_LongPayload_SameAsShortPath()
    {
        // Above the stack buffer the payload goes through a pooled array: the signature must not change.
        var payload = string.Concat(Enumerable.Repeat("symbol=BTCUSDT&", 200));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(DocSecret), System.Text.Encoding.UTF8.GetBytes(payload)));

        Assert.Equal(expected, Signer.Sign(payload));
    }

    [Fact]
    public void Authorize_Request_ApiKeyHeaderOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://fapi.binance.com/fapi/v1/order?" + DocQuery);

        Signer.Authorize(request);

        Assert.Equal(DocApiKey, Assert.Single(request.Headers.GetValues(BinanceSigner.ApiKeyHeader)));
        Assert.DoesNotContain(request.Headers, h => h.Value.Any(v => v.Contains(DocSecret, StringComparison.Ordinal)));
    }

    [Fact]
    public void Create_OkxCredentials_Refused()
    {
        var okx = ApiCredentials.Create("okx", "okx-key-0001", "okx-secret-0001", "okx-pass-0001", "test");
        var ex = Assert.Throws<ArgumentException>(() => new BinanceSigner(okx));
        Assert.DoesNotContain("okx-secret-0001", ex.ToString(), StringComparison.Ordinal);
    }
}
