using System.Collections.Concurrent;
using Pipeline.Simulator.Archive;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Simulator.Trading;
using Pipeline.Simulator.Truth;

namespace Pipeline.Simulator;

/// <summary>What the endpoint handlers share: options, clock, markets, the live feed, archives, fault dice.</summary>
public sealed class SimulatorContext
{
    private readonly ConcurrentQueue<SimClose> _closes = new();
    private readonly ConcurrentDictionary<string, long> _keyedRequests = new(StringComparer.Ordinal);
    private int _connections;
    private long _pings;
    private long _serverPings;
    private long _received;
    private long _sent;

    internal SimulatorContext(SimulatorOptions options, SimClock clock, IReadOnlyDictionary<string, MarketGenerator> markets,
        LiveFeed feed, ArchiveStore archives, MicroFeed? micro = null)
    {
        Micro = micro;
        Deliveries = micro is not null && options.TruthDir is { } truth ? new DeliveryLog(truth, options.Time) : null;
        Faults = new FaultTrigger(micro);
        Options = options;
        Clock = clock;
        Markets = markets;
        Feed = feed;
        Archives = archives;
        RestFaults = new RestFaults(options.Faults, unchecked((int)options.Seed) ^ 0x5EED);
        OkxHistoryLimiter = new SlidingWindowLimiter(options.OkxHistoryRateLimit, options.OkxHistoryRateWindow, options.Time);
        if (options.Accounts.Count > 0 && micro is not null)
        {
            Private = new PrivateExchange(options, clock, markets, micro);
            foreach (var instId in markets.Keys)
            {
                feed.Subscribe(instId, Private); // resting orders fill from the tape
            }
        }
    }

    /// <summary>The private trading API's exchange (accounts, orders, positions); null without accounts.</summary>
    public PrivateExchange? Private { get; }

    public SimulatorOptions Options { get; }

    public SimClock Clock { get; }

    public TimeProvider Time => Options.Time;

    /// <summary>Generators by instId (exact case, as the exchange spells it).</summary>
    public IReadOnlyDictionary<string, MarketGenerator> Markets { get; }

    public LiveFeed Feed { get; }

    public ArchiveStore Archives { get; }

    public RestFaults RestFaults { get; }

    /// <summary>The open WebSocket connections, for connection faults at a chosen moment.</summary>
    public FaultTrigger Faults { get; }

    /// <summary>The microstructure channels (book, quotes, liquidations, derivatives); null when <see cref="SimulatorOptions.Micro"/> is off.</summary>
    public MicroFeed? Micro { get; }

    public SlidingWindowLimiter OkxHistoryLimiter { get; }

    /// <summary>Per-connection log of the quotes and liquidations sent (with the microstructure and a truth dir; else null).</summary>
    public DeliveryLog? Deliveries { get; }

    /// <summary>Base URL of the archive (http://host:port/archive), set once the server listens.</summary>
    public string ArchiveUrl { get; internal set; } = "";

    public IEnumerable<MarketGenerator> Exchange(string exchange) => Markets.Values.Where(m => m.Instrument.Exchange == exchange);

    public MarketGenerator? Find(string exchange, string? instId) =>
        instId is not null && Markets.TryGetValue(instId, out var m) && m.Instrument.Exchange == exchange ? m : null;

    /// <summary>WebSocket connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Keepalive requests answered (OKX text ping, Binance LIST_SUBSCRIPTIONS).</summary>
    public long PingsAnswered => Interlocked.Read(ref _pings);

    /// <summary>WebSocket ping frames the server sent (Binance keep-alive); a connection still open after several answered them.</summary>
    public long ServerPingsSent => Interlocked.Read(ref _serverPings);

    /// <summary>Complete WebSocket messages received from clients (also those a stalled connection ignores).</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>How every ended connection was closed, as the server saw it, in order of ending.</summary>
    public IReadOnlyCollection<SimClose> Closes => _closes;

    /// <summary>WebSocket text messages sent to clients (data, replies, faults' garbage; duplicates count twice).</summary>
    public long MessagesSent => Interlocked.Read(ref _sent);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountPing() => Interlocked.Increment(ref _pings);

    internal void CountServerPing() => Interlocked.Increment(ref _serverPings);

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void RecordClose(SimClose close) => _closes.Enqueue(close);

    /// <summary>
    /// HTTP requests that carried <paramref name="apiKey"/> (Binance <c>X-MBX-APIKEY</c>, OKX <c>OK-ACCESS-KEY</c>), valid or
    /// not, answered or refused: how hard a client with that key hit the private API (a retry loop shows here).
    /// </summary>
    public long KeyedRequests(string apiKey) => _keyedRequests.GetValueOrDefault(apiKey);

    internal void CountKeyedRequest(string apiKey) => _keyedRequests.AddOrUpdate(apiKey, 1, (_, n) => n + 1);

    public ConnectionFaults NewConnectionFaults(out string connId)
    {
        var n = Interlocked.Increment(ref _connections);
        connId = unchecked((uint)SimHash.Combine(Options.Seed, (ulong)n)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return new ConnectionFaults(Options.Faults, unchecked((int)Options.Seed * 7919) + n, Time);
    }
}
