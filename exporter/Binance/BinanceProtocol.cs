using System.Globalization;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// Binance USD-M aggTrade on the routed /market path, combined-stream URL
/// (<c>{base}/market/stream?streams=btcusdt@aggTrade/...</c>, PROTOCOLS 2.1): the URL subscribes, so
/// there is no request and no ack; server pings are control frames answered by ClientWebSocket. The
/// client's own keepalive is a LIST_SUBSCRIPTIONS request (PROTOCOLS 2.2: live requests work on combined
/// streams, well under 10 per second): its reply comes in order with the data, so an answer proves the
/// stream delivered everything before it, which a control-frame pong (invisible to ClientWebSocket) cannot.
/// </summary>
public sealed class BinanceProtocol : IFeedProtocol
{
    private readonly FeedContext _context;

    public BinanceProtocol(ExporterOptions options, FeedContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Url = options.WsUrlOverride ?? BuildUrl(options.BinanceWs, options.InstIds);
    }

    public static Uri BuildUrl(Uri baseUrl, IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var streams = string.Join('/', symbols.Select(s => s.ToLower(CultureInfo.InvariantCulture) + "@aggTrade"));
        return new Uri(baseUrl.ToString().TrimEnd('/') + "/market/stream?streams=" + streams);
    }

    public string Exchange => BinanceVenue.Name;

    public Uri Url { get; }

    public ReadOnlyMemory<byte>? SubscribeRequest => null;

    public ReadOnlyMemory<byte> PingRequest { get; } = """{"method":"LIST_SUBSCRIPTIONS","id":1}"""u8.ToArray();

    public bool SubscribedOnConnect => true;

    public IFrameHandler CreateHandler(Uri url) => new Handler(this, url);

    private sealed class Handler(BinanceProtocol protocol, Uri url) : IFrameHandler
    {
        private readonly BinanceFrameParser _parser = new(protocol._context.InstIds);

        public async ValueTask<FrameOutcome> HandleAsync(ReadOnlyMemory<byte> frame, long recvTs, CancellationToken token)
        {
            var context = protocol._context;
            switch (_parser.ParseFrame(frame.Span, recvTs))
            {
                case BinanceFrameKind.Trades:
                    for (var i = 0; i < _parser.Count; i++)
                    {
                        await context.Pumps[_parser.InstrumentOf(i)].PostAsync(_parser.Items[i], token);
                    }

                    return FrameOutcome.Data;
                case BinanceFrameKind.Result:
                    return FrameOutcome.Pong; // the only request on this connection is the keepalive
                case BinanceFrameKind.Error:
                    context.CountError();
                    context.Log.Error("Binance error at {Url}: {Message}", url, _parser.Error);
                    return FrameOutcome.Control;
                case BinanceFrameKind.Malformed:
                    context.QuarantineFrame(_parser.Error ?? "malformed", frame.Span, _parser.FrameInstrument);
                    return FrameOutcome.Quarantined;
                default:
                    return FrameOutcome.Control;
            }
        }
    }
}
