using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// One venue's public microstructure protocol (quotes, book, liquidations, derivatives): what to subscribe to and
/// how to read a frame. Implemented once per venue module (exporter/Okx, exporter/Binance); the recorder
/// (<c>exporter/Micro</c>) is venue-neutral.
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

    /// <summary>A new per-instrument book continuity checker (the venue's sequence and checksum rules).</summary>
    IBookSequencer NewBookSequencer(string instId);
}
