using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// One of the Binance microstructure connections (<see cref="BinanceMicroProtocol.PublicRoute"/> or
/// <see cref="BinanceMicroProtocol.MarketRoute"/>): its combined-stream URL subscribes; parsing, sequencers, snapshots
/// and polls are the protocol's.
/// </summary>
internal sealed class BinanceMicroRoute(BinanceMicroProtocol protocol, string route, Uri wsBase) : IMicroProtocol
{
    public string Exchange => protocol.Exchange;

    public Uri? Url(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => BinanceMicroProtocol.StreamUrl(wsBase, route, instIds, kinds);

    public IReadOnlyList<string> SubscribeFrames(IReadOnlyList<string> instIds, IReadOnlySet<MicroKind> kinds) => [];

    public bool TryParse(ReadOnlySpan<byte> frame, long recvTs, IMicroSink sink, out string? problem) => protocol.TryParse(frame, recvTs, sink, out problem);

    public bool TryReadBookUpdate(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update) => protocol.TryReadBookUpdate(frame, recvTs, update);

    public IBookSequencer NewBookSequencer(string instId) => protocol.NewBookSequencer(instId);

    public ValueTask<IReadOnlyList<string>?> RequestSnapshotAsync(string instId, IMicroSink sink, CancellationToken token) =>
        protocol.RequestSnapshotAsync(instId, sink, token);

    public TimeSpan? PollInterval => protocol.PollInterval;

    public ValueTask PollAsync(string instId, IReadOnlySet<MicroKind> kinds, IMicroSink sink, CancellationToken token) =>
        protocol.PollAsync(instId, kinds, sink, token);
}
