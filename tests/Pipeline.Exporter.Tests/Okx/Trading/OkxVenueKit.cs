using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Exporter.Tests.Simulator;
using Pipeline.Exporter.Tests.Simulator.Trading;
using Pipeline.Exporter.Trading;
using Pipeline.Simulator;
using Pipeline.Simulator.Trading;

namespace Pipeline.Exporter.Tests.Okx.Trading;

/// <summary>
/// An <see cref="OkxOrderVenue"/> against a stepped simulator over loopback: its requests recorded (path and query, whether
/// signed, whether demo), its events collected, a fake local clock (the venue signs with the simulator's time through
/// the measured offset), reconnects without backoff so a drop test waits only for the event itself.
/// </summary>
internal sealed class OkxVenueKit : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _collector;

    private OkxVenueKit(SimulatorHost host, SimAccountSpec account, OkxOrderVenue venue, OkxRequestLog log, FakeTimeProvider time, HttpClient http)
    {
        Host = host;
        Account = account;
        Venue = venue;
        Requests = log;
        Time = time;
        Http = http;
        _collector = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in venue.Events.ReadAllAsync(_stop.Token))
                {
                    Events.Enqueue(e);
                }
            }
            catch (OperationCanceledException)
            {
                // The test is over.
            }
        });
    }

    public SimulatorHost Host { get; }

    public SimAccountSpec Account { get; }

    public OkxOrderVenue Venue { get; }

    public OkxRequestLog Requests { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public ConcurrentQueue<VenueEvent> Events { get; } = new();

    public PrivateExchange Exchange => Host.Context.Private!;

    public static OkxVenueOptions Options(SimulatorHost host, bool demo = false) => new()
    {
        Rest = host.Endpoints.OkxRest,
        PrivateWs = new Uri(SimulatorEndpoints.Text(host.Endpoints.OkxWsPublic).Replace("/ws/v5/public", "/ws/v5/private", StringComparison.Ordinal)),
        Demo = demo,
        ReconnectDelay = TimeSpan.Zero,
    };

    public static ApiCredentials Credentials(SimAccountSpec a, string? key = null, string? passphrase = null) =>
        ApiCredentials.Create(TradingVenues.Okx, key ?? a.ApiKey, a.Secret, passphrase ?? a.Passphrase, "test");

    /// <summary>A simulator (BTC-USDT-SWAP, book on, 5 s in) and a venue for its account; <paramref name="connect"/> runs ConnectAsync.</summary>
    public static async Task<OkxVenueKit> StartAsync(bool connect = true, bool demo = false, string? passphrase = null, string? key = null, int fillsPage = 100)
    {
        var account = OkxPrivateClient.Account();
        var host = await OkxPrivateClient.StartAsync(account);
        return await ForAsync(host, account, connect, demo, passphrase, key, fillsPage);
    }

    public static async Task<OkxVenueKit> ForAsync(SimulatorHost host, SimAccountSpec account, bool connect = true, bool demo = false,
        string? passphrase = null, string? key = null, int fillsPage = 100)
    {
        var log = new OkxRequestLog();
        var http = new HttpClient(log) { Timeout = SimTestKit.Bound };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var venue = new OkxOrderVenue(Options(host, demo), Credentials(account, key, passphrase), time, http) { FillsPageSize = fillsPage };
        var kit = new OkxVenueKit(host, account, venue, log, time, http);
        if (connect)
        {
            using var bound = new CancellationTokenSource(SimTestKit.Bound);
            await venue.ConnectAsync([OkxPrivateClient.Inst], bound.Token);
        }

        return kit;
    }

    /// <summary>The book now in prices and contracts.</summary>
    public (List<(decimal Px, decimal Sz)> Bids, List<(decimal Px, decimal Sz)> Asks) Book()
    {
        var book = Host.Context.Micro!.Read(OkxPrivateClient.Inst, e => e.Current());
        return ([.. book.Bids.Select(l => (l.Px / 10m, l.Sz / 100m))], [.. book.Asks.Select(l => (l.Px / 10m, l.Sz / 100m))]);
    }

    public IEnumerable<T> Of<T>() where T : VenueEvent => Events.OfType<T>();

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, string what) where T : VenueEvent
    {
        await Waits.UntilAsync(() => Events.OfType<T>().Any(match), SimTestKit.Bound, what);
        return Events.OfType<T>().First(match);
    }

    public async ValueTask DisposeAsync()
    {
        await Venue.DisposeAsync();
        await _stop.CancelAsync();
        await _collector;
        _stop.Dispose();
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Records every request the venue sends: method, path and query, and its OKX headers' presence (never their values).</summary>
internal sealed class OkxRequestLog() : DelegatingHandler(new HttpClientHandler())
{
    private readonly ConcurrentQueue<(string Method, string PathAndQuery, bool Signed, bool Demo)> _sent = new();

    public IReadOnlyList<(string Method, string PathAndQuery, bool Signed, bool Demo)> Sent => [.. _sent];

    public IReadOnlyList<(string Method, string PathAndQuery, bool Signed, bool Demo)> Signed => [.. _sent.Where(r => r.Signed)];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _sent.Enqueue((request.Method.Method, request.RequestUri!.PathAndQuery, request.Headers.Contains("OK-ACCESS-SIGN"),
            request.Headers.TryGetValues("x-simulated-trading", out var v) && v.Single() == "1"));
        return base.SendAsync(request, cancellationToken);
    }
}
