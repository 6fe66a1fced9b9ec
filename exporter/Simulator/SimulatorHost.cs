using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Simulator.Archive;
using Pipeline.Simulator.Binance;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Simulator.Okx;
using Pipeline.Simulator.Truth;
using Serilog;

namespace Pipeline.Simulator;

/// <summary>
/// The loopback exchange simulator in one Kestrel server on one port: OKX and Binance USD-M
/// WebSockets and REST, daily archives, over a deterministic market, with fault injection and an
/// optional ground-truth record. Start with <see cref="StartAsync"/>, read <see cref="Endpoints"/>,
/// stop with <see cref="StopAsync"/> (or dispose).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private static readonly Serilog.ILogger Log = Serilog.Log.ForContext<SimulatorHost>();
    private readonly WebApplication _app;
    private readonly SimulatorContext _context;
    private readonly TruthWriter? _truth;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _sockets = [];
    private readonly Lock _stepGate = new();
    private Task? _feed;
    private bool _stopped;

    private SimulatorHost(WebApplication app, SimulatorContext context, TruthWriter? truth)
    {
        _app = app;
        _context = context;
        _truth = truth;
    }

    public SimulatorOptions Options => _context.Options;

    public SimClock Clock => _context.Clock;

    /// <summary>What the endpoints share, including what the server observed (connections, pings, close codes).</summary>
    public SimulatorContext Context => _context;

    /// <summary>The generators by instId (the same market the endpoints serve).</summary>
    public IReadOnlyDictionary<string, MarketGenerator> Markets => _context.Markets;

    /// <summary>Event time through which every trade has been published (live feed and truth).</summary>
    public long PublishedThroughMs => _context.Feed.PublishedThroughMs;

    public SimulatorEndpoints Endpoints { get; private set; } = null!;

    /// <summary>Connection faults at a chosen moment (besides those the fault spec schedules): <c>await host.Faults.TriggerNowAsync(ConnectionFault.Stall)</c>.</summary>
    public FaultTrigger Faults => _context.Faults;

    public int Port { get; private set; }

    /// <summary>Builds the markets, binds the port and starts serving and publishing.</summary>
    /// <exception cref="ArgumentException">an unknown instrument or a bad option</exception>
    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rate);
        if (!options.Stepped)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Speed);
        }

        if (options.Instruments.Count == 0)
        {
            throw new ArgumentException("no instruments", nameof(options));
        }

        var markets = new Dictionary<string, MarketGenerator>(StringComparer.Ordinal);
        foreach (var name in options.Instruments)
        {
            var instrument = SimInstruments.Find(name);
            var silences = options.Silences.Where(x => x.InstId == instrument.InstId).Select(x => (x.FromMs, x.ToMs));
            markets.TryAdd(instrument.InstId, new MarketGenerator(instrument, options.Seed, options.Rate, silences));
        }

        if (options.Silences.FirstOrDefault(x => !markets.ContainsKey(x.InstId)) is { } stray)
        {
            throw new ArgumentException($"silence for '{stray.InstId}', which is not a simulated instrument here", nameof(options));
        }

        if (options.Accounts.Count > 0 && !options.Micro)
        {
            throw new ArgumentException("the private API (accounts) needs the simulated order book: set SimulatorOptions.Micro", nameof(options));
        }

        var startMs = (options.Start ?? options.Time.GetUtcNow()).ToUnixTimeMilliseconds();

        // Id prefix sums up to the start day, computed before serving so the first tick is not late.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(markets.Values.Select(m => Task.Run(() => m.FillIdBase(MarketGenerator.BlockOf(startMs)), token)));
        Log.Debug("Market id prefixes ready in {Elapsed} ms", warm.ElapsedMilliseconds);
        var clock = options.Stepped ? SimClock.Stepped(options.Time, startMs) : new SimClock(options.Time, startMs, options.Speed);
        var truth = options.TruthDir is { } dir ? new TruthWriter(dir, markets.Values.Select(m => m.Instrument), startMs, options) : null;
        var micro = options.Micro ? new MicroFeed(markets, startMs, options, truth) : null;
        var feed = new LiveFeed(markets, clock, truth, options.PublishInterval, micro);
        var context = new SimulatorContext(options, clock, markets, feed, new ArchiveStore(options.OkxLegacyArchive), micro);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = options.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var host = new SimulatorHost(app, context, truth);
        host.Map(app);
        try
        {
            await app.StartAsync(token);
        }
        catch
        {
            await app.DisposeAsync();
            truth?.Dispose();
            context.Archives.Dispose();
            context.Private?.Dispose();
            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First());
        host.Port = bound.Port;
        var hostName = options.Host is "0.0.0.0" or "::" ? "127.0.0.1" : options.Host;
        var http = $"http://{hostName}:{bound.Port}";
        var ws = $"ws://{hostName}:{bound.Port}";
        host.Endpoints = new SimulatorEndpoints(new Uri(ws + "/ws/v5/public"), new Uri(ws + "/ws/v5/business"), new Uri(http),
            new Uri(ws), new Uri(http), new Uri(http + "/archive"));
        context.ArchiveUrl = http + "/archive";
        if (!options.Stepped)
        {
            host._feed = Task.Run(() => feed.RunAsync(host._stopping.Token), CancellationToken.None);
        }

        Log.Information("Simulator listening on {Url}: {Count} instruments, seed {Seed}, rate {Rate}/s, speed {Speed}, faults {Faults}",
            http, markets.Count, options.Seed, options.Rate, options.Stepped ? "stepped" : options.Speed.ToString("0.###x", System.Globalization.CultureInfo.InvariantCulture), options.Faults.ToString());
        return host;
    }

    /// <summary>
    /// A stepped simulator (<see cref="SimulatorOptions.Stepped"/>): moves event time to <paramref name="nowMs"/> and
    /// publishes everything up to it (inclusive) before returning; the sockets send it on their own.
    /// </summary>
    /// <exception cref="InvalidOperationException">the simulator runs on wall time, or it has stopped</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nowMs"/> is before the simulated now</exception>
    public void AdvanceTo(long nowMs)
    {
        lock (_stepGate)
        {
            if (_stopped)
            {
                throw new InvalidOperationException("the simulator has stopped");
            }

            _context.Clock.AdvanceTo(nowMs);
            _context.Feed.PublishUpTo(nowMs);
        }
    }

    /// <summary>Stops publishing, closes the sockets and the server, and completes the truth files.</summary>
    public async Task StopAsync(CancellationToken token = default)
    {
        lock (_stepGate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        await _stopping.CancelAsync();
        if (_feed is not null)
        {
            await _feed;
        }
        else
        {
            _truth?.Complete(_context.Feed.PublishedThroughMs); // stepped: no feed loop completes it
        }

        Task[] sockets;
        lock (_sockets)
        {
            sockets = [.. _sockets];
        }

        await Task.WhenAll(sockets).WaitAsync(TimeSpan.FromSeconds(5), token).ContinueWith(_ => { }, TaskScheduler.Default);
        _context.Private?.Faults.ReleaseHeld(); // an ackhold reply must not keep the server from stopping
        await _app.StopAsync(token);
        _truth?.Dispose();
        _context.Private?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _context.Archives.Dispose();
        _stopping.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Use(async (http, next) =>
        {
            // Which key each request carried: a test proves a client with a refused key does not retry in a loop.
            var key = http.Request.Headers["X-MBX-APIKEY"].ToString() is { Length: > 0 } binanceKey ? binanceKey : http.Request.Headers["OK-ACCESS-KEY"].ToString();
            if (key.Length > 0)
            {
                _context.CountKeyedRequest(key);
            }

            await next(http);
        });
        var okx = new OkxRest(_context);
        var binance = new BinanceRest(_context);

        app.Map("/ws/v5/public", http => OkxSocketAsync(http, business: false));
        app.Map("/ws/v5/business", http => OkxSocketAsync(http, business: true));

        app.Map("/market/ws/{**streams}", http => BinanceSocketAsync(http, combined: false, BinanceRoute.Market));
        app.Map("/market/stream", http => BinanceSocketAsync(http, combined: true, BinanceRoute.Market));
        app.Map("/ws/{**streams}", http => BinanceSocketAsync(http, combined: false, BinanceRoute.Legacy));
        app.Map("/stream", http => BinanceSocketAsync(http, combined: true, BinanceRoute.Legacy));
        app.Map("/public/ws/{**streams}", http => BinanceSocketAsync(http, combined: false, BinanceRoute.Public));
        app.Map("/public/stream", http => BinanceSocketAsync(http, combined: true, BinanceRoute.Public));

        app.MapGet("/api/v5/public/instruments", okx.InstrumentsAsync);
        app.MapGet("/api/v5/public/time", okx.TimeAsync);
        app.MapGet("/api/v5/market/trades", okx.TradesAsync);
        app.MapGet("/api/v5/market/history-trades", okx.HistoryTradesAsync);
        app.MapGet("/api/v5/public/market-data-history", okx.MarketDataHistoryAsync);
        app.MapGet("/archive/cdn/okex/traderecords/trades/daily/{folder}/{file}", http =>
            okx.ArchiveAsync(http, (string)http.GetRouteValue("folder")!, (string)http.GetRouteValue("file")!));

        app.MapGet("/fapi/v1/ping", BinanceRest.PingAsync);
        app.MapGet("/fapi/v1/time", binance.TimeAsync);
        app.MapGet("/fapi/v1/exchangeInfo", binance.ExchangeInfoAsync);
        app.MapGet("/fapi/v1/aggTrades", binance.AggTradesAsync);
        app.MapGet("/fapi/v1/depth", binance.DepthAsync);
        app.MapGet("/fapi/v1/openInterest", binance.OpenInterestAsync);
        app.MapGet("/archive/data/futures/um/daily/aggTrades/{symbol}/{file}", http =>
            binance.ArchiveAsync(http, (string)http.GetRouteValue("symbol")!, (string)http.GetRouteValue("file")!));

        if (_context.Private is not null)
        {
            // The private trading API (accounts configured): Binance USD-M signed REST and the user data stream.
            var keys = new BinanceListenKeys(_context.Time);
            var trading = new BinancePrivateRest(_context, keys);
            app.MapPost("/fapi/v1/order", trading.NewOrderAsync);
            app.MapDelete("/fapi/v1/order", trading.CancelOrderAsync);
            app.MapGet("/fapi/v1/order", trading.QueryOrderAsync);
            app.MapGet("/fapi/v1/openOrders", trading.OpenOrdersAsync);
            app.MapGet("/fapi/v1/userTrades", trading.UserTradesAsync);
            app.MapGet("/fapi/v2/positionRisk", http => trading.PositionRiskAsync(http, 2));
            app.MapGet("/fapi/v3/positionRisk", http => trading.PositionRiskAsync(http, 3));
            app.MapPost("/fapi/v1/listenKey", trading.ListenKeyPostAsync);
            app.MapPut("/fapi/v1/listenKey", trading.ListenKeyPutAsync);
            app.MapDelete("/fapi/v1/listenKey", trading.ListenKeyDeleteAsync);
            app.Map("/private/ws/{listenKey}", http => BinanceUserSocketAsync(http, keys));

            // OKX's private REST (signed with OK-ACCESS-* headers; sizes in contracts).
            var okxTrading = new OkxPrivateRest(_context);
            app.MapPost("/api/v5/trade/order", okxTrading.PlaceAsync);
            app.MapPost("/api/v5/trade/cancel-order", okxTrading.CancelAsync);
            app.MapGet("/api/v5/trade/order", okxTrading.QueryAsync);
            app.MapGet("/api/v5/trade/orders-pending", okxTrading.PendingAsync);
            app.MapGet("/api/v5/account/positions", okxTrading.PositionsAsync);
            app.MapGet("/api/v5/trade/fills", okxTrading.FillsAsync);
            app.MapGet("/api/v5/trade/fills-history", okxTrading.FillsAsync);
            app.Map("/ws/v5/private", OkxPrivateSocketAsync);
        }
    }

    private async Task OkxSocketAsync(HttpContext http, bool business)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        // OKX sends no protocol pings (clients send text "ping"); the runtime's keep-alive is off.
        using var socket = await SimWebSocket.AcceptAsync(http, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (socket is null)
        {
            return;
        }

        var faults = _context.NewConnectionFaults(out var connId);
        var connection = new OkxSocket(socket, _context, faults, connId, business);
        await RunSocketAsync(connection.RunAsync(_stopping.Token));
    }

    private async Task OkxPrivateSocketAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        using var socket = await SimWebSocket.AcceptAsync(http, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (socket is null)
        {
            return;
        }

        var faults = _context.NewConnectionFaults(out var connId);
        var connection = new OkxPrivateSocket(socket, _context, faults, connId);
        try
        {
            await RunSocketAsync(connection.RunAsync(_stopping.Token));
        }
        finally
        {
            if (connection.Account is { } account)
            {
                _context.Private!.Unsubscribe(account, connection);
            }
        }
    }

    private async Task BinanceSocketAsync(HttpContext http, bool combined, BinanceRoute route)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        IEnumerable<string> streams = combined
            ? (HttpReplies.Query(http, "streams") ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)
            : ((http.GetRouteValue("streams") as string) ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        using var socket = await SimWebSocket.AcceptAsync(http, _context.Options.BinancePingInterval, _context.Options.BinancePongTimeout,
            _context.CountServerPing);
        if (socket is null)
        {
            return;
        }

        var faults = _context.NewConnectionFaults(out var connId);
        var connection = new BinanceSocket(socket, _context, faults, connId, combined, route, streams);
        await RunSocketAsync(connection.RunAsync(_stopping.Token));
    }

    private async Task BinanceUserSocketAsync(HttpContext http, BinanceListenKeys keys)
    {
        var account = keys.Find((string)http.GetRouteValue("listenKey")!);
        if (!http.WebSockets.IsWebSocketRequest || account is null)
        {
            http.Response.StatusCode = 400; // not a WebSocket, or an unknown/expired listen key
            return;
        }

        using var socket = await SimWebSocket.AcceptAsync(http, _context.Options.BinancePingInterval, _context.Options.BinancePongTimeout,
            _context.CountServerPing);
        if (socket is null)
        {
            return;
        }

        var faults = _context.NewConnectionFaults(out var connId);
        var connection = new BinanceUserSocket(socket, _context, faults, connId);
        _context.Private!.Subscribe(account, connection);
        try
        {
            await RunSocketAsync(connection.RunAsync(_stopping.Token));
        }
        finally
        {
            _context.Private.Unsubscribe(account, connection);
        }
    }

    private async Task RunSocketAsync(Task run)
    {
        lock (_sockets)
        {
            _sockets.Add(run);
        }

        try
        {
            await run;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.Debug(ex, "WebSocket ended");
        }
        finally
        {
            lock (_sockets)
            {
                _sockets.Remove(run);
            }
        }
    }
}
