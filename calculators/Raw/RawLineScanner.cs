using System.Runtime.CompilerServices;
using System.Buffers.Text;

namespace Pipeline.Calculators.Raw;

/// <summary>The fields stage 1 needs from one raw trade line.</summary>
public ref struct RawTradeFields
{
    public long Ts { get; set; }
    public decimal Px { get; set; }
    public decimal QtyBase { get; set; }
    public bool IsBuy { get; set; }
    public ReadOnlySpan<byte> TradeId { get; set; }
}

/// <summary>
/// Reads ts, px, qtyBase, side and tradeId straight from the UTF-8 bytes of a raw trade line
/// (a flat JSON object, keys in any order, other keys skipped) without allocating. This is the
/// hot path of bars_1m; <c>RawTradeParser</c> stays the general, validating reader.
/// </summary>
public static class RawLineScanner
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    public static bool TryScan(ReadOnlySpan<byte> line, out RawTradeFields fields, out string? error)
    {
        error = null;
        if (TryCanonical(line, out fields))
        {
            return true;
        }

        return TryScanAny(line, out fields, out error);
    }

    /// <summary>
    /// The fast path: the exact layout RawTradeWriter writes (keys in the documented order, no
    /// whitespace, no escapes up to qtyBase). Keys are matched in place instead of searched; any
    /// deviation returns false and the general scanner decides. The keys after qtyBase are not needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    private static bool TryCanonical(ReadOnlySpan<byte> line, out RawTradeFields fields)
    {
        fields = default;
        var i = 0;
        if (!Expect(line, ref i, "{\"exchange\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"instId\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"tradeId\":\""u8))
        {
            return false;
        }

        var idStart = i;
        if (!SkipString(line, ref i) || i - 1 == idStart)
        {
            return false;
        }

        fields.TradeId = line[idStart..(i - 1)];
        if (!Expect(line, ref i, ",\"ts\":"u8))
        {
            return false;
        }

        var comma = line[i..].IndexOf((byte)',');
        if (comma <= 0 || !Utf8Parser.TryParse(line.Slice(i, comma), out long ts, out var consumed) || consumed != comma)
        {
            return false;
        }

        fields.Ts = ts;
        i += comma;
        if (!Expect(line, ref i, ",\"px\":\""u8))
        {
            return false;
        }

        var pxStart = i;
        if (!SkipString(line, ref i) || !FastDecimal.TryParse(line[pxStart..(i - 1)], out var px) || px <= 0)
        {
            return false;
        }

        fields.Px = px;
        if (!Expect(line, ref i, ",\"sz\":\""u8) || !SkipString(line, ref i) || !Expect(line, ref i, ",\"side\":\""u8))
        {
            return false;
        }

        if (line[i..].StartsWith("buy\""u8))
        {
            fields.IsBuy = true;
            i += 4;
        }
        else if (line[i..].StartsWith("sell\""u8))
        {
            i += 5;
        }
        else
        {
            return false;
        }

        if (!Expect(line, ref i, ",\"ctVal\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"ctMult\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"ctType\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"ctValCcy\":\""u8) || !SkipString(line, ref i)
            || !Expect(line, ref i, ",\"qtyBase\":\""u8))
        {
            return false;
        }

        var qtyStart = i;
        if (!SkipString(line, ref i) || !FastDecimal.TryParse(line[qtyStart..(i - 1)], out var qty) || qty < 0)
        {
            return false;
        }

        fields.QtyBase = qty;
        return line.Length > i && line[^1] == '}';
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    private static bool Expect(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> text)
    {
        if (!line[i..].StartsWith(text))
        {
            return false;
        }

        i += text.Length;
        return true;
    }

    /// <summary>Moves past the closing quote of a string without escapes (an escape leaves it to the general path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    private static bool SkipString(ReadOnlySpan<byte> line, ref int i)
    {
        var end = line[i..].IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || line[i + end] != '"')
        {
            return false;
        }

        i += end + 1;
        return true;
    }

    private static bool TryScanAny(ReadOnlySpan<byte> line, out RawTradeFields fields, out string? error)
    {
        fields = default;
        error = null;
        var have = 0;
        var i = SkipWhitespace(line, 0);
        if (i >= line.Length || line[i] != '{')
        {
            error = "not a JSON object";
            return false;
        }

        i++;
        while (true)
        {
            i = SkipWhitespace(line, i);
            if (i >= line.Length)
            {
                error = "truncated object";
                return false;
            }

            if (line[i] == '}')
            {
                break;
            }

            if (line[i] != '"')
            {
                error = "expected a key";
                return false;
            }

            var keyLength = line[(i + 1)..].IndexOf((byte)'"');
            if (keyLength < 0)
            {
                error = "unterminated key";
                return false;
            }

            var key = line.Slice(i + 1, keyLength);
            i = SkipWhitespace(line, i + keyLength + 2);
            if (i >= line.Length || line[i] != ':')
            {
                error = "expected ':'";
                return false;
            }

            i = SkipWhitespace(line, i + 1);
            if (i >= line.Length)
            {
                error = "truncated value";
                return false;
            }

            ReadOnlySpan<byte> value;
            var quoted = line[i] == '"';
            if (quoted)
            {
                var end = StringEnd(line, i + 1);
                if (end < 0)
                {
                    error = "unterminated string";
                    return false;
                }

                value = line[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = line[i..].IndexOfAny((byte)',', (byte)'}');
                if (end < 0)
                {
                    error = "truncated value";
                    return false;
                }

                value = line.Slice(i, end).TrimEnd(" \t\r"u8);
                i += end;
            }

            if (!Field(key, value, quoted, ref fields, ref have, out error))
            {
                return false;
            }

            i = SkipWhitespace(line, i);
            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }

            if (i < line.Length && line[i] == '}')
            {
                break;
            }

            error = i >= line.Length ? "truncated object" : "expected ',' or '}'";
            return false;
        }

        if (have != 0b11111)
        {
            error = "missing " + Missing(have);
            return false;
        }

        return true;
    }

    private static bool Field(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool quoted, ref RawTradeFields fields,
        ref int have, out string? error)
    {
        error = null;
        switch (key.Length)
        {
            case 2 when key[0] == 't' && key[1] == 's':
                if (quoted || !Utf8Parser.TryParse(value, out long ts, out var consumed) || consumed != value.Length)
                {
                    error = "ts is not an integer";
                    return false;
                }

                fields.Ts = ts;
                have |= 1;
                return true;
            case 2 when key[0] == 'p' && key[1] == 'x':
                if (!quoted || !FastDecimal.TryParse(value, out var px) || px <= 0)
                {
                    error = "px is not a positive decimal string";
                    return false;
                }

                fields.Px = px;
                have |= 2;
                return true;
            case 7 when key.SequenceEqual("qtyBase"u8):
                if (!quoted || !FastDecimal.TryParse(value, out var qty) || qty < 0)
                {
                    error = "qtyBase is not a non-negative decimal string";
                    return false;
                }

                fields.QtyBase = qty;
                have |= 4;
                return true;
            case 4 when key.SequenceEqual("side"u8):
                if (value.SequenceEqual("buy"u8))
                {
                    fields.IsBuy = true;
                }
                else if (value.SequenceEqual("sell"u8))
                {
                    fields.IsBuy = false;
                }
                else
                {
                    error = "side is neither buy nor sell";
                    return false;
                }

                have |= 8;
                return true;
            case 7 when key.SequenceEqual("tradeId"u8):
                if (!quoted || value.IsEmpty)
                {
                    error = "tradeId is not a non-empty string";
                    return false;
                }

                fields.TradeId = value;
                have |= 16;
                return true;
            default:
                return true;
        }
    }

    /// <summary>Index of the closing quote of a string starting at <paramref name="start"/>, honouring escapes.</summary>
    private static int StringEnd(ReadOnlySpan<byte> line, int start)
    {
        var i = start;
        while (i < line.Length)
        {
            var next = line[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (line[i] == '"')
            {
                return i;
            }

            i += 2; // skip the escaped character
        }

        return -1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static string Missing(int have)
    {
        string[] names = ["ts", "px", "qtyBase", "side", "tradeId"];
        return string.Join(", ", names.Where((_, bit) => (have & (1 << bit)) == 0));
    }
}
