namespace Pipeline.Simulator.Micro;

/// <summary>
/// OKX's order-book checksum: the top 25 levels as "bidPx:bidSz:askPx:askSz:..." (bid and ask of each depth
/// alternate; when one side runs out the other continues alone), the strings exactly as sent, CRC-32 (IEEE),
/// read as a signed 32-bit integer.
/// </summary>
public static class OkxBookChecksum
{
    public const int Depth = 25;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The checksum string of the best <see cref="Depth"/> levels (best first on each side).</summary>
    public static string Text(IReadOnlyList<(string Px, string Sz)> bids, IReadOnlyList<(string Px, string Sz)> asks)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        var parts = new List<string>(4 * Depth);
        for (var i = 0; i < Depth; i++)
        {
            if (i < bids.Count)
            {
                parts.Add(bids[i].Px);
                parts.Add(bids[i].Sz);
            }

            if (i < asks.Count)
            {
                parts.Add(asks[i].Px);
                parts.Add(asks[i].Sz);
            }
        }

        return string.Join(':', parts);
    }

    public static int Compute(IReadOnlyList<(string Px, string Sz)> bids, IReadOnlyList<(string Px, string Sz)> asks) =>
        unchecked((int)Crc32(System.Text.Encoding.ASCII.GetBytes(Text(bids, asks))));

    /// <summary>CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
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
