using System.Text.Json;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Okx;

/// <summary>
/// OKX documents the recipe and example inputs (secret "22582BD0CFF14C41EDBF1AB98506286D", timestamp
/// "2020-12-08T09:08:57.715Z") but no signature for known inputs (the WebSocket login example's sign is for an unstated
/// secret). The expected values were computed once, independently, with python3's hmac module and cross-checked with
/// <c>openssl dgst -sha256 -hmac ... -binary | base64</c> (see exporter/Okx/PROTOCOL.md, Private API).
/// </summary>
public sealed class OkxSignerTests
{
    private const string DocSecret = "22582BD0CFF14C41EDBF1AB98506286D";
    private const string DocTimestamp = "2020-12-08T09:08:57.715Z";
    private const string ApiKey = "985d5b66-57ce-40fb-b714-afc0b9787083";
    private const string Passphrase = "pipeline-test-passphrase";
    private const string OrderBody = "{\"instId\":\"BTC-USDT-SWAP\",\"tdMode\":\"cross\",\"clOrdId\":\"vwap1\",\"side\":\"buy\",\"ordType\":\"post_only\",\"px\":\"50000.1\",\"sz\":\"2\"}";

    private static readonly ApiCredentials Credentials = ApiCredentials.Create("okx", ApiKey, DocSecret, Passphrase, "test");

    [Theory]
    [InlineData("GET", "/api/v5/account/balance?ccy=BTC", "", "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=")]
    [InlineData("POST", "/api/v5/trade/order", OrderBody, "agNrTYiZSGNbHEPqpaHJkrLQm34gHc+9bJgli745sGI=")]
    [InlineData("post", "/api/v5/trade/order", OrderBody, "agNrTYiZSGNbHEPqpaHJkrLQm34gHc+9bJgli745sGI=")]
    public void Sign_IndependentVector_Matches(string method, string path, string body, string expected) =>
        Assert.Equal(expected, new OkxSigner(Credentials, demoTrading: false).Sign(DocTimestamp, method, path, body));

    [Fact]
    public void FormatTimestamp_Instant_IsoWithMilliseconds()
    {
        var time = new DateTimeOffset(2020, 12, 8, 17, 8, 57, 715, TimeSpan.FromHours(8));
        Assert.Equal(DocTimestamp, OkxSigner.FormatTimestamp(time));
    }

    [Fact]
    public void Authorize_GetWithQuery_HeadersSignPathAndQuery()
    {
        var signer = new OkxSigner(Credentials, demoTrading: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://www.okx.com/api/v5/account/balance?ccy=BTC");

        signer.Authorize(request, body: null, DateTimeOffset.Parse(DocTimestamp, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ApiKey, Header(request, "OK-ACCESS-KEY"));
        Assert.Equal("HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=", Header(request, "OK-ACCESS-SIGN"));
        Assert.Equal(DocTimestamp, Header(request, "OK-ACCESS-TIMESTAMP"));
        Assert.Equal(Passphrase, Header(request, "OK-ACCESS-PASSPHRASE"));
        Assert.False(request.Headers.Contains("x-simulated-trading"));
        Assert.DoesNotContain(request.Headers, h => h.Value.Any(v => v.Contains(DocSecret, StringComparison.Ordinal)));
    }

    [Fact]
    public void Authorize_DemoTrading_SimulatedTradingHeader()
    {
        var signer = new OkxSigner(Credentials, demoTrading: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://www.okx.com/api/v5/trade/order");

        signer.Authorize(request, OrderBody, DateTimeOffset.Parse(DocTimestamp, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("1", Header(request, "x-simulated-trading"));
        Assert.Equal("agNrTYiZSGNbHEPqpaHJkrLQm34gHc+9bJgli745sGI=", Header(request, "OK-ACCESS-SIGN"));
    }

    [Fact]
    public void LoginFrame_DocumentedTimestamp_SignsVerifyPath()
    {
        var frame = new OkxSigner(Credentials, demoTrading: false).LoginFrame(1538054050);

        using var json = JsonDocument.Parse(frame);
        Assert.Equal("login", json.RootElement.GetProperty("op").GetString());
        var args = Assert.Single(json.RootElement.GetProperty("args").EnumerateArray().ToList());
        Assert.Equal(ApiKey, args.GetProperty("apiKey").GetString());
        Assert.Equal(Passphrase, args.GetProperty("passphrase").GetString());
        Assert.Equal("1538054050", args.GetProperty("timestamp").GetString());
        // python3: base64(hmac(secret, "1538054050GET/users/self/verify", sha256))
        Assert.Equal("+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=", args.GetProperty("sign").GetString());
        Assert.Contains("\"sign\":\"+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=\"", frame, StringComparison.Ordinal);
        Assert.DoesNotContain(DocSecret, frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_RelativeUri_RefusedWithoutSecret()
    {
        var signer = new OkxSigner(Credentials, demoTrading: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v5/account/balance", UriKind.Relative));

        var ex = Assert.Throws<ArgumentException>(() => signer.Authorize(request, null, DateTimeOffset.UnixEpoch));
        Assert.DoesNotContain(DocSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BinanceCredentials_Refused()
    {
        var binance = ApiCredentials.Create("binance", "bin-key-0001", "bin-secret-0001", null, "test");
        Assert.Throws<ArgumentException>(() => new OkxSigner(binance, demoTrading: false));
    }

    private static string Header(HttpRequestMessage request, string name) => Assert.Single(request.Headers.GetValues(name));
}
