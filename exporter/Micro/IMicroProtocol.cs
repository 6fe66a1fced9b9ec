using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// One venue's public microstructure protocol (quotes, book, liquidations, derivatives): what to subscribe to and
/// how to read a frame. Implemented once per venue module (exporter/Okx, exporter/Binance); the recorder
/// (<c>exporter/Micro</c>) is venue-neutral. The members with a body are optional (added for the recorder's
/// connection, <see cref="MicroFeed"/>): a venue overrides those it needs.
/// </summary>
public interface IMicroProtocol
{
    /// <summary>"okx" or "binance".</summary>
    string Exchange { get; }

    /// <summary>The subscription frames (text) for <paramref name="instIds"/> and <paramref name="kinds"/>.</summary>
    IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds);

    /// <summary>
    /// Reads one WebSocket frame: every record in it goes to <paramref name="sink"/> (received at <paramref name="recvTs"/>).
    /// A frame that is not data (an ack, a pong) emits nothing and returns true; a malformed data frame returns false
    /// with the reason in <paramref name="problem"/> (the caller quarantines it and goes on).
    /// </summary>
    bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem);

    /// <summary>
    /// The hot path for the commonest frame, one book update without a checksum: reads it into the reusable
    /// <paramref name="update"/> straight from the UTF-8 bytes, allocating nothing. True only when the frame is exactly
    /// such an update and valid by the same rules as <see cref="TryParse"/>; false for anything else (a snapshot, a
    /// checksum, another channel, a malformed or unusual frame), and the caller then reads the frame with
    /// <see cref="TryParse"/>, which says what is wrong. Default: false (every frame takes <see cref="TryParse"/>).
    /// </summary>
    bool TryReadBookUpdate(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update) => false;

    /// <summary>A new per-instrument book continuity checker (the venue's sequence and checksum rules).</summary>
    IBookSequencer NewBookSequencer(string instId);

    /// <summary>
    /// The WebSocket URL for <paramref name="instIds"/> and <paramref name="kinds"/> (Binance: the streams are in the
    /// URL and <see cref="SubscribeFrames"/> may be empty). Null: the venue cannot record these kinds (start fails).
    /// </summary>
    Uri? Url(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => null;

    /// <summary>A keepalive text frame sent every ping interval (OKX "ping"); null when the venue needs none.</summary>
    string? PingFrame => null;

    /// <summary>
    /// The book of <paramref name="instId"/> is unknown (first diff before any snapshot, a gap, a checksum failure,
    /// a buffer overflow): get a new snapshot. Either emit it into <paramref name="sink"/> yourself (Binance REST
    /// <c>GET /fapi/v1/depth</c>; the sink is safe to call from any thread) and return an empty list, or return
    /// the frames to send on the live connection (OKX: unsubscribe and subscribe <c>books</c> again). Null (the
    /// default): the connection is dropped and reopened, and its subscription brings the snapshot.
    /// </summary>
    ValueTask<IReadOnlyList<string>?> RequestSnapshotAsync(string instId, IMicroSink sink, CancellationToken token) =>
        ValueTask.FromResult<IReadOnlyList<string>?>(null);

    /// <summary>
    /// The WebSocket connections the kinds need, each a protocol whose <see cref="Url"/>, <see cref="SubscribeFrames"/>,
    /// <see cref="PingFrame"/> and <see cref="TryParse"/> serve that one connection (Binance serves book and quotes on
    /// /public, liquidations and mark price on /market); the first one carries the book. Default: this one.
    /// </summary>
    IReadOnlyList<IMicroProtocol> Connections(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => [this];

    /// <summary>How often <see cref="PollAsync"/> runs (Binance REST <c>openInterest</c>); null: never.</summary>
    TimeSpan? PollInterval => null;

    /// <summary>Polls REST-only data for one instrument (records into <paramref name="sink"/>, src "rest").</summary>
    ValueTask PollAsync(string instId, IReadOnlySet<MicroKind> kinds, IMicroSink sink, CancellationToken token) => ValueTask.CompletedTask;
}
