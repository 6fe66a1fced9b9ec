using System.Text.Json;
using Pipeline.Exporter.Connection;
using Pipeline.Exporter.Recording;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX v5 WebSocket: trades-all on /ws/v5/business (default) or trades on /ws/v5/public, one
/// subscribe request with every instrument, text ping/pong keepalive (PROTOCOLS 1.1–1.5).
/// </summary>
public sealed class OkxProtocol : IFeedProtocol
{
    private readonly FeedContext _context;

    public OkxProtocol(ExporterOptions options, FeedContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        Channel = options.Channel;
        Url = UrlFor(options);
        var args = options.InstIds.Select(id => new Dictionary<string, string> { ["channel"] = Channel, ["instId"] = id }).ToList();
        SubscribeRequest = JsonSerializer.SerializeToUtf8Bytes(new { id = "sub1", op = "subscribe", args });
    }

    /// <summary>The WebSocket endpoint according to the channel (PROTOCOL.md 1.1): trades on /public, trades-all on /business.</summary>
    public static Uri UrlFor(ExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.WsUrlOverride ?? (options.Channel == "trades" ? options.OkxWsPublic : options.OkxWsBusiness);
    }

    public string Exchange => OkxVenue.Name;

    public string Channel { get; }

    public Uri Url { get; }

    public ReadOnlyMemory<byte>? SubscribeRequest { get; }

    /// <summary>PROTOCOLS 1.5: plain text "ping", answered by "pong".</summary>
    public ReadOnlyMemory<byte> PingRequest { get; } = "ping"u8.ToArray();

    public bool SubscribedOnConnect => false;

    public IFrameHandler CreateHandler(Uri url) => new Handler(this, url);

    private sealed class Handler(OkxProtocol protocol, Uri url) : IFrameHandler
    {
        private readonly OkxFrameParser _parser = new(protocol._context.InstIds);

        public async ValueTask<FrameOutcome> HandleAsync(ReadOnlyMemory<byte> frame, long recvTs, CancellationToken token)
        {
            var context = protocol._context;
            var kind = _parser.Parse(frame.Span, recvTs, TradeSource.Ws);
            switch (kind)
            {
                case OkxFrameKind.Trades:
                    for (var i = 0; i < _parser.Count; i++)
                    {
                        await context.Pumps[_parser.InstrumentOf(i)].PostAsync(_parser.Items[i], token);
                    }

                    return FrameOutcome.Data;
                case OkxFrameKind.Pong:
                    return FrameOutcome.Pong;
                case OkxFrameKind.Subscribed:
                    context.Log.Information("Subscribed {Channel} {InstId} at {Url}", _parser.EventChannel, _parser.EventInstId, url);
                    context.MarkSubscribed(_parser.EventInstId);
                    return FrameOutcome.Subscribed;
                case OkxFrameKind.Notice when _parser.EventCode == "64008":
                    context.Log.Warning("OKX service notice 64008 from {Url}: {Message}; moving to a new connection", url, _parser.Error);
                    return FrameOutcome.Handover;
                case OkxFrameKind.Error:
                    context.CountError();
                    var channel = _parser.EventChannel ?? ChannelFromMessage(_parser.Error) ?? protocol.Channel;
                    context.Log.Error(
                        "OKX error {Code} for channel {Channel} at {Url}: {Message}" +
                        (_parser.EventCode is "60018" or "64001" or "64002"
                            ? " (the channel is not served at this URL: trades-all lives on /ws/v5/business, trades on /ws/v5/public)"
                            : string.Empty),
                        _parser.EventCode, channel, url, _parser.Error);
                    return _parser.EventCode is "60018" or "64001" or "64002" or "60012" or "64000"
                        ? FrameOutcome.Fatal : FrameOutcome.Control;
                case OkxFrameKind.Malformed:
                    context.QuarantineFrame(_parser.Error ?? "malformed", frame.Span, _parser.ArgInstrument);
                    return FrameOutcome.Quarantined;
                default:
                    return FrameOutcome.Control;
            }
        }

        private static string? ChannelFromMessage(string? message)
        {
            // "Wrong URL or channel:trades-all,instId:BTC-USDT-SWAP doesn't exist..."
            var at = message?.IndexOf("channel:", StringComparison.Ordinal) ?? -1;
            if (at < 0)
            {
                return null;
            }

            var rest = message![(at + 8)..];
            var end = rest.IndexOfAny([',', ' ']);
            return end > 0 ? rest[..end] : rest;
        }
    }

}
