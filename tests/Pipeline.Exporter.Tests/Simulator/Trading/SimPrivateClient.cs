using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Simulator;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Simulator.Trading;

/// <summary>
/// A minimal Binance USD-M signed-REST client for the simulator tests. It signs on its own (HMACSHA256 of the query string,
/// lower-case hex), independently of the simulator's verifier, so a test proves the two agree.
/// </summary>
internal sealed class SimPrivateClient(SimulatorHost host, SimAccountSpec account) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = host.Endpoints.BinanceRest, Timeout = SimTestKit.Bound };

    public static SimAccountSpec Account(string name = "alice", IReadOnlyList<SimRateLimit>? limits = null) => new()
    {
        Name = name,
        ApiKey = name + "-key-0123456789abcdef",
        Secret = name + "-secret-fedcba9876543210",
        OrderLimits = limits ?? SimRateLimit.BinanceDefaults,
    };

    /// <summary>A stepped simulator of BTCUSDT with the book on and <paramref name="accounts"/>, advanced 5 s so the book has levels.</summary>
    public static async Task<SimulatorHost> StartAsync(string? truthDir, params SimAccountSpec[] accounts)
    {
        var host = await SimTestKit.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTCUSDT"], Rate = 20, Seed = 5, Start = SimTestKit.PastStart, Stepped = true, Micro = true, TruthDir = truthDir,
            Accounts = accounts,
        });
        host.AdvanceTo(host.Clock.NowMs + 5000);
        return host;
    }

    public static string Sign(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    /// <summary>A SIGNED request: <c>timestamp</c> (the simulator's clock unless given) appended, then <c>signature</c>.</summary>
    public Task<(int Status, JsonElement Body)> SignedAsync(HttpMethod method, string path, string query, long? timestamp = null,
        string? key = null, string? secret = null, bool inBody = false, CancellationToken token = default)
    {
        var payload = (query.Length > 0 ? query + "&" : "") + "timestamp=" + (timestamp ?? host.Clock.NowMs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = payload + "&signature=" + Sign(secret ?? account.Secret, payload);
        return SendAsync(method, path, inBody ? "" : signed, key ?? account.ApiKey, inBody ? signed : null, token);
    }

    /// <summary>A request with the API key header only (USER_STREAM endpoints), or with no key at all (<paramref name="key"/> "").</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string query, string? key = null, string? body = null,
        CancellationToken token = default)
    {
        using var request = new HttpRequestMessage(method, path + (query.Length > 0 ? "?" + query : ""));
        var apiKey = key ?? account.ApiKey;
        if (apiKey.Length > 0)
        {
            request.Headers.Add("X-MBX-APIKEY", apiKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        using var response = await _http.SendAsync(request, token);
        var text = await response.Content.ReadAsStringAsync(token);
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> OrderAsync(string query, CancellationToken token = default) =>
        SignedAsync(HttpMethod.Post, "/fapi/v1/order", query, token: token);

    /// <summary>The public depth now (the book the private API matches against).</summary>
    public async Task<JsonElement> DepthAsync(string symbol = "BTCUSDT")
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/fapi/v1/depth", "symbol=" + symbol + "&limit=5", key: "");
        Assert.Equal(200, status);
        return body;
    }

    /// <summary>Opens the account's user data stream: POST listenKey, connect to /private/ws/{key}.</summary>
    public async Task<System.Net.WebSockets.ClientWebSocket> UserStreamAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/fapi/v1/listenKey", "");
        Assert.Equal(200, status);
        var ws = await SimTestKit.ConnectAsync(SimulatorEndpoints.Text(host.Endpoints.BinanceWs) + "/private/ws/" + body.GetProperty("listenKey").GetString());
        await Waits.UntilAsync(() => host.Context.Private!.Accounts.Any(a => a.Spec.ApiKey == account.ApiKey && HasListener(a)), SimTestKit.Bound, "the user stream subscribed");
        return ws;
    }

    public void Dispose() => _http.Dispose();

    private static bool HasListener(PrivateAccount a) => a.ListenerCount > 0;
}
