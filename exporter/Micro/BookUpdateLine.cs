using System.Buffers;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// Writes a <see cref="BookUpdate"/> as its <c>book_perps</c> line straight from the frame's bytes: byte for byte the
/// line <see cref="MicroLineWriter"/> writes for the same update parsed into a <see cref="BookRecord"/> (keys in the
/// same order, src ws, no checksum: an update with one takes the record path). The levels are plain decimals, so
/// they need no escaping: each side is copied at once as <see cref="BookUpdate"/> laid it out. Nothing is allocated.
/// </summary>
public static class BookUpdateLine
{
    public static void Write(IBufferWriter<byte> output, BookUpdate update, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(update);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, exchange);
        w.Text(",\"instId\":"u8, instId);
        w.Raw(",\"type\":\"update\""u8);
        w.Number(",\"ts\":"u8, update.Ts);
        w.Number(",\"seq\":"u8, update.Seq);
        w.Number(",\"prevSeq\":"u8, update.PrevSeq);
        if (update.FirstSeq is { } first)
        {
            w.Number(",\"firstSeq\":"u8, first);
        }

        w.Raw(",\"bids\":["u8);
        w.Raw(update.BidsJson);
        w.Raw("],\"asks\":["u8);
        w.Raw(update.AsksJson);
        w.Raw("]"u8);
        w.Number(",\"recvTs\":"u8, update.RecvTs);
        w.Raw(",\"src\":\"ws\"}\n"u8);
    }
}
