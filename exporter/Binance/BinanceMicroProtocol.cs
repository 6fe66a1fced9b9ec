using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance USD-M microstructure streams (PROTOCOL.md "Microstructure"): <c>&lt;symbol&gt;@bookTicker</c> (quotes),
/// <c>&lt;symbol&gt;@depth@100ms</c> (book diffs, continuity by <see cref="BinanceBookSequencer"/>),
/// <c>&lt;symbol&gt;@forceOrder</c> (liquidations), <c>&lt;symbol&gt;@markPrice@1s</c> (mark, index, funding).
/// Since the 2026 routed-path split bookTicker and depth are served on <c>/public</c> and forceOrder and markPrice on
/// <c>/market</c> (PROTOCOLS 2.1), so a recorder opens one connection per route (<see cref="RouteOf"/>,
/// <see cref="StreamUrl"/>): like the trades connection, the combined-stream URL subscribes and no request is needed;
/// <see cref="SubscribeFrames"/> gives the equivalent live SUBSCRIBE requests for a connection opened without streams.
/// Frames may be combined (<c>{"stream","data"}</c>) or raw events.
/// </summary>
public sealed class BinanceMicroProtocol : IMicroProtocol, IDisposable
{
    /// <summary>The routed path of bookTicker and depth.</summary>
    public const string PublicRoute = "public";

    /// <summary>The routed path of forceOrder and markPrice.</summary>
    public const string MarketRoute = "market";

    /// <summary>The depth stream's update speed; 100 ms is the fastest diff stream documented.</summary>
    public const string DepthSuffix = "@depth@100ms";

    public string Exchange => BinanceVenue.Name;

    /// <summary>The WebSocket base (<c>wss://fstream.binance.com</c>); the routes and streams are appended.</summary>
    public Uri? WsBase { get; init; }

    /// <summary>REST for the depth snapshots and the open-interest poll; null: neither (tests of the parser).</summary>
    public BinanceMicroRestClient? Rest { get; init; }

    /// <summary>The pacer of <see cref="Rest"/> when it was made for this protocol (<see cref="BinanceVenue.CreateMicroProtocol"/>): disposed with it.</summary>
    public RequestPacer? OwnedPacer { get; init; }

    public void Dispose() => OwnedPacer?.Dispose();

    /// <summary>How often open interest is polled (Binance documents no cadence; the recorder's default is 10 s).</summary>
    public TimeSpan OpenInterestInterval { get; init; } = TimeSpan.FromSeconds(10);

    public Uri? Url(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) =>
        WsBase is null ? null : StreamUrl(WsBase, PublicRoute, instIds, kinds) ?? StreamUrl(WsBase, MarketRoute, instIds, kinds);

    /// <summary>One connection per route that has streams, /public (book, quotes) first; the URLs subscribe.</summary>
    public IReadOnlyList<IMicroProtocol> Connections(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) =>
        WsBase is null
            ? [this]
            : [.. new[] { PublicRoute, MarketRoute }.Where(r => StreamUrl(WsBase, r, instIds, kinds) is not null).Select(r => new BinanceMicroRoute(this, r, WsBase))];

    /// <summary>A book snapshot from REST (the documented procedure), handed to the recorder; nothing to send on the socket.</summary>
    public async ValueTask<IReadOnlyList<string>?> RequestSnapshotAsync(string instId, IMicroSink sink, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Rest is null)
        {
            return null;
        }

        sink.Book(await Rest.FetchDepthSnapshotAsync(instId, token));
        return [];
    }

    public TimeSpan? PollInterval => Rest is null ? null : OpenInterestInterval;

    /// <summary>Open interest is REST only on Binance: polled for instruments recording derivatives.</summary>
    public async ValueTask PollAsync(string instId, IReadOnlySet<MicroKind> kinds, IMicroSink sink, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(sink);
        if (Rest is not null && kinds.Contains(MicroKind.Derivatives))
        {
            sink.Derivatives(await Rest.FetchOpenInterestAsync(instId, token));
        }
    }

    /// <summary>Which routed path serves <paramref name="kind"/>.</summary>
    public static string RouteOf(MicroKind kind) => kind switch
    {
        MicroKind.Quotes or MicroKind.Book => PublicRoute,
        MicroKind.Liquidations or MicroKind.Derivatives => MarketRoute,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
    };

    /// <summary>The stream name of <paramref name="kind"/> for a symbol (lowercase, as Binance requires).</summary>
    public static string StreamName(string symbol, MicroKind kind)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var lower = symbol.ToLower(CultureInfo.InvariantCulture);
        return kind switch
        {
            MicroKind.Quotes => lower + "@bookTicker",
            MicroKind.Book => lower + DepthSuffix,
            MicroKind.Liquidations => lower + "@forceOrder",
            MicroKind.Derivatives => lower + "@markPrice@1s",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
        };
    }

    /// <summary>The streams for <paramref name="kinds"/> on one route, symbol by symbol.</summary>
    public static IReadOnlyList<string> Streams(string route, IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(instIds);
        ArgumentNullException.ThrowIfNull(kinds);
        return [.. instIds.SelectMany(s => MicroKinds.All.Where(k => kinds.Contains(k) && RouteOf(k) == route).Select(k => StreamName(s, k)))];
    }

    /// <summary>
    /// The combined-stream URL of one route (<c>{base}/public/stream?streams=...</c>), or null when no requested kind is
    /// served there. The URL subscribes, as for trades.
    /// </summary>
    public static Uri? StreamUrl(Uri wsBase, string route, IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(wsBase);
        var streams = Streams(route, instIds, kinds);
        return streams.Count == 0 ? null : new Uri(wsBase.ToString().TrimEnd('/') + "/" + route + "/stream?streams=" + string.Join('/', streams));
    }

    /// <summary>
    /// Live SUBSCRIBE requests (Connect page "Live Subscribing"): one per route that has streams, public first; a frame
    /// goes only on the connection of its route (<see cref="SubscribeFramesFor"/>).
    /// </summary>
    public IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) =>
        [.. SubscribeFramesFor(PublicRoute, instIds, kinds), .. SubscribeFramesFor(MarketRoute, instIds, kinds)];

    /// <summary>The SUBSCRIBE request for the connection of <paramref name="route"/> (none when it has no streams).</summary>
    public static IReadOnlyList<string> SubscribeFramesFor(string route, IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds)
    {
        var streams = Streams(route, instIds, kinds);
        if (streams.Count == 0)
        {
            return [];
        }

        var id = route == PublicRoute ? 1 : 2;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("method", "SUBSCRIBE");
            json.WriteStartArray("params");
            foreach (var stream in streams)
            {
                json.WriteStringValue(stream);
            }

            json.WriteEndArray();
            json.WriteNumber("id", id);
            json.WriteEndObject();
        }

        return [System.Text.Encoding.UTF8.GetString(buffer.ToArray())];
    }

    public IBookSequencer NewBookSequencer(string instId) => new BinanceBookSequencer(instId);

    /// <summary>A combined-stream depthUpdate, read without allocating (<see cref="BinanceDepthReader"/>).</summary>
    public bool TryReadBookUpdate(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return BinanceDepthReader.TryRead(frame, recvTs, update);
    }

    public bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(sink);
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(frame);
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            problem = "invalid JSON: " + ex.Message;
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return false;
        }

        // A reply to a request: {"result":null,"id":1}. Not data.
        if (root.TryGetProperty("result", out _) && root.TryGetProperty("id", out _))
        {
            problem = null;
            return true;
        }

        // An error, in the client libraries' envelope or bare as the Connect page lists it: reported, never silent.
        if (BinanceMicroFields.ErrorOf(root) is { } error)
        {
            problem = "error reply: " + error;
            return false;
        }

        var ev = root;
        if (root.TryGetProperty("data", out var data))
        {
            if (data.ValueKind != JsonValueKind.Object)
            {
                problem = "data is not an object";
                return false;
            }

            ev = data;
        }

        if (!ev.TryGetProperty("e", out var type) || type.ValueKind != JsonValueKind.String)
        {
            problem = "neither an event (e), a result nor an error";
            return false;
        }

        switch (type.GetString())
        {
            case "bookTicker":
                return TryQuote(ev, recvTs, sink, out problem);
            case "depthUpdate":
                return TryDepth(ev, recvTs, sink, out problem);
            case "forceOrder":
                return TryLiquidation(ev, recvTs, sink, out problem);
            case "markPriceUpdate":
                return TryMarkPrice(ev, recvTs, sink, out problem);
            default:
                problem = "unexpected event type " + type.GetString();
                return false;
        }
    }

    /// <summary>Event time: the transaction (matching) time <c>T</c> when sent and positive, else the event time <c>E</c>.</summary>
    private static bool TryEventTime(JsonElement ev, out long ts, out string? problem)
    {
        if (ev.TryGetProperty("T", out _) && BinanceMicroFields.TryLong(ev, "T", out ts, out problem) && ts > 0)
        {
            return true;
        }

        if (!BinanceMicroFields.TryLong(ev, "E", out ts, out problem) || ts <= 0)
        {
            problem = "neither T nor E is a ms timestamp";
            return false;
        }

        return true;
    }

    private static bool TryQuote(JsonElement ev, long recvTs, IMicroSink sink, out string? problem)
    {
        if (!BinanceMicroFields.TryString(ev, "s", out var symbol, out problem) ||
            !BinanceMicroFields.TryLong(ev, "u", out var seq, out problem) ||
            !TryEventTime(ev, out var ts, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "b", positive: false, out var bidPx, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "B", positive: false, out var bidSz, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "a", positive: false, out var askPx, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "A", positive: false, out var askSz, out problem))
        {
            problem = "bookTicker: " + problem;
            return false;
        }

        sink.Quote(new QuoteRecord
        {
            Exchange = BinanceVenue.Name, InstId = symbol, Ts = ts, Seq = seq,
            BidPx = bidPx, BidSz = bidSz, AskPx = askPx, AskSz = askSz, RecvTs = recvTs, Src = "ws",
        });
        return true;
    }

    private static bool TryDepth(JsonElement ev, long recvTs, IMicroSink sink, out string? problem)
    {
        if (!BinanceMicroFields.TryString(ev, "s", out var symbol, out problem) ||
            !BinanceMicroFields.TryLong(ev, "U", out var first, out problem) ||
            !BinanceMicroFields.TryLong(ev, "u", out var last, out problem) ||
            !BinanceMicroFields.TryLong(ev, "pu", out var prev, out problem) ||
            !TryEventTime(ev, out var ts, out problem) ||
            !BinanceMicroFields.TryLevels(ev, "b", zeroSize: true, out var bids, out problem) ||
            !BinanceMicroFields.TryLevels(ev, "a", zeroSize: true, out var asks, out problem))
        {
            problem = "depthUpdate: " + problem;
            return false;
        }

        if (first > last)
        {
            problem = $"depthUpdate: U {first} is after u {last}";
            return false;
        }

        sink.Book(new BookRecord
        {
            Exchange = BinanceVenue.Name, InstId = symbol, Type = BookRecordType.Update, Ts = ts,
            Seq = last, PrevSeq = prev, FirstSeq = first, Bids = bids, Asks = asks, RecvTs = recvTs, Src = "ws",
        });
        return true;
    }

    private static bool TryLiquidation(JsonElement ev, long recvTs, IMicroSink sink, out string? problem)
    {
        if (!ev.TryGetProperty("o", out var o) || o.ValueKind != JsonValueKind.Object)
        {
            problem = "forceOrder: o is not an object";
            return false;
        }

        if (!BinanceMicroFields.TryString(o, "s", out var symbol, out problem) ||
            !BinanceMicroFields.TryString(o, "S", out var side, out problem) ||
            !BinanceMicroFields.TryDecimal(o, "p", positive: true, out var px, out problem) ||
            !BinanceMicroFields.TryDecimal(o, "q", positive: true, out var sz, out problem) ||
            !BinanceMicroFields.TryLong(o, "T", out var ts, out problem))
        {
            problem = "forceOrder: " + problem;
            return false;
        }

        if (side is not ("BUY" or "SELL"))
        {
            problem = "forceOrder: S is neither BUY nor SELL";
            return false;
        }

        // ap, z and X are kept when sent; absent or malformed they are left out rather than losing the liquidation.
        sink.Liquidation(new LiquidationRecord
        {
            Exchange = BinanceVenue.Name, InstId = symbol, Ts = ts, Side = side == "BUY" ? "buy" : "sell", Px = px, Sz = sz,
            AvgPx = BinanceMicroFields.TryDecimal(o, "ap", positive: false, out var ap, out _) ? ap : null,
            FilledSz = BinanceMicroFields.TryDecimal(o, "z", positive: false, out var z, out _) ? z : null,
            Status = BinanceMicroFields.TryString(o, "X", out var status, out _) ? status : null,
            RecvTs = recvTs, Src = "ws",
        });
        return true;
    }

    private static bool TryMarkPrice(JsonElement ev, long recvTs, IMicroSink sink, out string? problem)
    {
        if (!BinanceMicroFields.TryString(ev, "s", out var symbol, out problem) ||
            !BinanceMicroFields.TryLong(ev, "E", out var ts, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "p", positive: true, out var mark, out problem) ||
            !BinanceMicroFields.TryDecimal(ev, "i", positive: true, out var index, out problem))
        {
            problem = "markPriceUpdate: " + problem;
            return false;
        }

        // r is signed; "" for a delivery contract (then no funding). T here is the next funding time, 0 when none.
        string? rate = null;
        if (ev.TryGetProperty("r", out var r))
        {
            if (r.ValueKind != JsonValueKind.String || (r.GetString() is { Length: > 0 } text && !ExactDecimal.IsPlain(text)))
            {
                problem = "markPriceUpdate: r is not a plain decimal string";
                return false;
            }

            rate = r.GetString() is { Length: > 0 } t ? t : null;
        }

        long? next = null;
        if (ev.TryGetProperty("T", out _))
        {
            if (!BinanceMicroFields.TryLong(ev, "T", out var nextTs, out problem))
            {
                problem = "markPriceUpdate: " + problem;
                return false;
            }

            next = nextTs > 0 ? nextTs : null;
        }

        sink.Derivatives(new DerivativesRecord
        {
            Exchange = BinanceVenue.Name, InstId = symbol, Ts = ts, Channel = "markPrice",
            MarkPx = mark, IndexPx = index, FundingRate = rate, NextFundingTime = next, RecvTs = recvTs, Src = "ws",
        });
        return true;
    }
}
