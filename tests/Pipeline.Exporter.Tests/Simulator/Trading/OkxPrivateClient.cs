using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>
/// A minimal OKX signed-REST client for the simulator tests. It signs on its own (base64 HMACSHA256 of timestamp + METHOD +
/// path?query + body), independently of the simulator's verifier, so a test proves the two agree.
/// </summary>
internal sealed class OkxPrivateClient(SimulatorHost host, SimAccountSpec account) : IDisposable
{
    public const string Inst = "BTC-USDT-SWAP";

    private readonly HttpClient _http = new() { BaseAddress = host.Endpoints.OkxRest, Timeout = SimTestKit.Bound };

    public static SimAccountSpec Account(string name = "olga") => new()
    {
        Name = name,
        ApiKey = name + "-okx-key-0123",
        Secret = name + "-okx-secret-4567",
        Passphrase = name + "-Pass-89",
        OrderLimits = SimRateLimit.BinanceDefaults,
    };

    /// <summary>A stepped simulator of BTC-USDT-SWAP with the book on, advanced 5 s so the book has levels.</summary>
    public static async Task<SimulatorHost> StartAsync(params SimAccountSpec[] accounts)
    {
        var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Instruments = [Inst], Rate = 20, Seed = 5, Start = SimTestKit.PastStart, Stepped = true, Micro = true, Accounts = accounts,
        });
        host.AdvanceTo(host.Clock.NowMs + 5000);
        return host;
    }

    public static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Sign(string secret, string prehash) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(prehash)));

    /// <summary>
    /// A signed request. <paramref name="timestamp"/> defaults to the simulator's clock in ISO-8601 ms; any header can be
    /// replaced (null: the right value; "": left out); <paramref name="signedBody"/> signs another body than the one sent.
    /// </summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string pathAndQuery, string body = "",
        string? timestamp = null, string? key = null, string? secret = null, string? passphrase = null, string? sign = null,
        string? signedBody = null, bool demo = true, CancellationToken token = default)
    {
        var ts = timestamp ?? Iso(host.Clock.NowMs);
        using var request = new HttpRequestMessage(method, pathAndQuery);
        void Header(string name, string value)
        {
            if (value.Length > 0)
            {
                request.Headers.Add(name, value);
            }
        }

        Header("OK-ACCESS-KEY", key ?? account.ApiKey);
        Header("OK-ACCESS-SIGN", sign ?? Sign(secret ?? account.Secret, ts + method.Method.ToUpperInvariant() + pathAndQuery + (signedBody ?? body)));
        Header("OK-ACCESS-TIMESTAMP", ts);
        Header("OK-ACCESS-PASSPHRASE", passphrase ?? account.Passphrase);
        if (demo)
        {
            request.Headers.Add("x-simulated-trading", "1");
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, token);
        var text = await response.Content.ReadAsStringAsync(token);
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }

    /// <summary>POST /api/v5/trade/order; returns the HTTP status, top-level code and data[0].</summary>
    public async Task<(int Status, string Code, JsonElement Row)> PlaceAsync(string side, string ordType, string sz, string? px, string clOrdId,
        CancellationToken token = default)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["instId"] = Inst, ["tdMode"] = "cross", ["side"] = side, ["ordType"] = ordType, ["sz"] = sz, ["px"] = px, ["clOrdId"] = clOrdId,
        }.Where(kv => kv.Value is not null).ToDictionary());
        var (status, json) = await SendAsync(HttpMethod.Post, "/api/v5/trade/order", body, token: token);
        return (status, json.GetProperty("code").GetString()!, json.GetProperty("data")[0]);
    }

    /// <summary>GET /api/v5/trade/order by clOrdId: code and data[0] (default when there is none).</summary>
    public async Task<(string Code, JsonElement Row)> OrderAsync(string clOrdId)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, $"/api/v5/trade/order?instId={Inst}&clOrdId={clOrdId}");
        Assert.Equal(200, status);
        var data = json.GetProperty("data");
        return (json.GetProperty("code").GetString()!, data.GetArrayLength() > 0 ? data[0] : default);
    }

    public void Dispose() => _http.Dispose();
}
