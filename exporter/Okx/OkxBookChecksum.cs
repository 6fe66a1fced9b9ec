using System.Text;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// OKX's order book checksum (PROTOCOL.md, "Microstructure"): the best 25 bids and 25 asks as
/// <c>bid:size:ask:size:...</c> (interleaved best first; a side with fewer levels just ends), prices and sizes as the
/// strings sent, CRC-32 (IEEE) read as a signed 32-bit integer.
/// </summary>
public static class OkxBookChecksum
{
    public const int Depth = 25;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The string the checksum covers.</summary>
    public static string Text(IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        var text = new StringBuilder();
        for (var i = 0; i < Depth && (i < bids.Count || i < asks.Count); i++)
        {
            Append(text, bids, i);
            Append(text, asks, i);
        }

        return text.ToString();
    }

    /// <summary>The signed CRC-32 of the best 25 levels of <paramref name="book"/>.</summary>
    public static int Of(OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        return Crc32(Text(book.Bids(Depth), book.Asks(Depth)));
    }

    /// <summary>CRC-32 (IEEE 802.3, as zlib computes it) of the ASCII text, as a signed 32-bit integer.</summary>
    public static int Crc32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var crc = 0xFFFFFFFFu;
        foreach (var b in Encoding.ASCII.GetBytes(text))
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return unchecked((int)~crc);
    }

    private static void Append(StringBuilder text, IReadOnlyList<BookLevel> side, int i)
    {
        if (i >= side.Count)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(':');
        }

        text.Append(side[i].Px).Append(':').Append(side[i].Sz);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
