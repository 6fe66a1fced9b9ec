namespace Pipeline.Exporter.Connection;

/// <summary>One exchange's WebSocket dialect: where to connect, what to send, how to read frames.</summary>
public interface IFeedProtocol
{
    /// <summary>okx or binance (for logs).</summary>
    string Exchange { get; }

    /// <summary>The URL to connect to (Binance: streams in the URL).</summary>
    Uri Url { get; }

    /// <summary>The subscribe request to send after connecting, or null when the URL subscribes.</summary>
    ReadOnlyMemory<byte>? SubscribeRequest { get; }

    /// <summary>
    /// The keepalive request, sent every ping interval; its answer comes back in order with the data and the
    /// handler reports it as <see cref="FrameOutcome.Pong"/> (OKX text "ping" → "pong"; Binance LIST_SUBSCRIPTIONS).
    /// </summary>
    ReadOnlyMemory<byte> PingRequest { get; }

    /// <summary>True when the connection counts as subscribed as soon as it is open (Binance).</summary>
    bool SubscribedOnConnect { get; }

    /// <summary>A frame handler with its own parser (one per connection: handlers are not thread-safe).</summary>
    IFrameHandler CreateHandler(Uri url);
}

/// <summary>Reads the frames of one connection and queues their trades.</summary>
public interface IFrameHandler
{
    ValueTask<FrameOutcome> HandleAsync(ReadOnlyMemory<byte> frame, long recvTs, CancellationToken token);
}
