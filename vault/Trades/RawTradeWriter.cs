using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pipeline.Vault.Trades;

/// <summary>
/// Serialises a <see cref="RawTrade"/> as one JSON line (with the trailing '\n') with the keys in
/// the documented order. Writes straight into a caller's buffer; nothing is allocated per trade.
/// </summary>
public static class RawTradeWriter
{
    public static void Write(IBufferWriter<byte> output, RawTrade trade)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(trade);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, trade.Exchange);
        w.Text(",\"instId\":"u8, trade.InstId);
        w.Text(",\"tradeId\":"u8, trade.TradeId);
        w.Number(",\"ts\":"u8, trade.Ts);
        w.Text(",\"px\":"u8, trade.Px);
        w.Text(",\"sz\":"u8, trade.Sz);
        w.Text(",\"side\":"u8, trade.Side);
        w.Text(",\"ctVal\":"u8, trade.CtVal);
        w.Text(",\"ctMult\":"u8, trade.CtMult);
        w.Text(",\"ctType\":"u8, trade.CtType);
        w.Text(",\"ctValCcy\":"u8, trade.CtValCcy);
        w.Text(",\"qtyBase\":"u8, trade.QtyBase);
        w.Number(",\"recvTs\":"u8, trade.RecvTs);
        w.Text(",\"src\":"u8, trade.Src);
        if (trade.Count is { } count)
        {
            w.Number(",\"count\":"u8, count);
        }

        if (trade.FirstId is { } firstId)
        {
            w.Number(",\"firstId\":"u8, firstId);
        }

        if (trade.LastId is { } lastId)
        {
            w.Number(",\"lastId\":"u8, lastId);
        }

        w.Raw("}\n"u8);
    }

    /// <summary>The line as a string (tests, tools); the hot path uses <see cref="Write"/>.</summary>
    public static string ToLine(RawTrade trade)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, trade);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>Minimal JSON text builder for flat records: raw key fragments, escaped strings, integers.</summary>
public ref struct JsonLineBuilder(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output;

    public readonly void Raw(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    public readonly void Text(ReadOnlySpan<byte> keyFragment, string value)
    {
        Raw(keyFragment);
        StringValue(value);
    }

    public readonly void Number(ReadOnlySpan<byte> keyFragment, long value)
    {
        Raw(keyFragment);
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    public readonly void Null(ReadOnlySpan<byte> keyFragment)
    {
        Raw(keyFragment);
        Raw("null"u8);
    }

    public readonly void StringValue(string value)
    {
        // Worst case every char becomes \u00XX (6 bytes) or a 3-byte UTF-8 sequence.
        var span = _output.GetSpan((value.Length * 6) + 2);
        var n = 0;
        span[n++] = (byte)'"';
        foreach (var c in value)
        {
            if (c < 0x80)
            {
                if (c == '"' || c == '\\')
                {
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)c;
                }
                else if (c < 0x20)
                {
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'u';
                    span[n++] = (byte)'0';
                    span[n++] = (byte)'0';
                    span[n++] = Hex(c >> 4);
                    span[n++] = Hex(c & 0xF);
                }
                else
                {
                    span[n++] = (byte)c;
                }
            }
            else
            {
                n += EscapeNonAscii(c, span[n..]);
            }
        }

        span[n++] = (byte)'"';
        _output.Advance(n);
    }

    private static int EscapeNonAscii(char c, Span<byte> destination)
    {
        // \uXXXX keeps the line pure ASCII and valid even for lone surrogates.
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = Hex(c >> 12);
        destination[3] = Hex((c >> 8) & 0xF);
        destination[4] = Hex((c >> 4) & 0xF);
        destination[5] = Hex(c & 0xF);
        return 6;
    }

    private static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}
