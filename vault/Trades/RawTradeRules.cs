using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipeline.Vault.Trades;

/// <summary>
/// The one rule for a valid raw trade line, shared by the calculators' scanner, <c>verify</c>'s parser
/// and the signal/executor's reader, so they never disagree on which lines are trades:
/// <list type="bullet">
/// <item>valid UTF-8, one flat JSON object (unknown keys allowed, nothing after it);</item>
/// <item>every documented key present: exchange, instId, tradeId, ts, px, sz, side, ctVal, ctMult, ctType,
/// ctValCcy, qtyBase, recvTs, src (strings, except ts and recvTs, which are JSON integers);</item>
/// <item>exchange and instId valid vault names, equal to the file's when the caller names it (else the line
/// is foreign);</item>
/// <item>tradeId a decimal integer that fits a long, without leading zeros;</item>
/// <item>ts in [2000-01-01, 2100-01-01) UTC, recvTs in [0, 2100-01-01);</item>
/// <item>px, sz, qtyBase, ctVal, ctMult plain positive decimals with at most 20 integer digits (DECIMAL(38,18)'s
/// range) and at most 28 decimals, held exactly by C# decimal (29 significant digits at most);</item>
/// <item>side buy or sell; ctType linear or inverse; ctValCcy and src short tokens [A-Za-z0-9._-];</item>
/// <item>count (if present) an integer ≥ 1 that fits an int; firstId and lastId (if present) integers ≥ 0.</item>
/// </list>
/// Lines as RawTradeWriter writes them take a fast path that matches keys in place and allocates nothing;
/// any other layout takes <see cref="Utf8JsonReader"/>. Both feed the same value checks (<see cref="Validate"/>).
/// </summary>
public static class RawTradeRules
{
    /// <summary>2000-01-01T00:00:00Z: no exchange traded perpetual swaps earlier.</summary>
    public const long MinTs = 946_684_800_000;

    /// <summary>2100-01-01T00:00:00Z (exclusive).</summary>
    public const long MaxTs = 4_102_444_800_000;

    public const int MaxIntegerDigits = 20;
    /// <summary>C# decimal's 96-bit mantissa holds up to 29 digits (an inverse contract's qtyBase uses them all).</summary>
    public const int MaxSignificantDigits = 29;

    internal const int ExchangeBit = 1 << 0;
    internal const int InstIdBit = 1 << 1;
    internal const int TradeIdBit = 1 << 2;
    internal const int TsBit = 1 << 3;
    internal const int PxBit = 1 << 4;
    internal const int SzBit = 1 << 5;
    internal const int SideBit = 1 << 6;
    internal const int CtValBit = 1 << 7;
    internal const int CtMultBit = 1 << 8;
    internal const int CtTypeBit = 1 << 9;
    internal const int CtValCcyBit = 1 << 10;
    internal const int QtyBaseBit = 1 << 11;
    internal const int RecvTsBit = 1 << 12;
    internal const int SrcBit = 1 << 13;
    internal const int CountBit = 1 << 14;
    internal const int FirstIdBit = 1 << 15;
    internal const int LastIdBit = 1 << 16;
    private const int Required = (1 << 14) - 1;

    /// <summary>
    /// Reads and checks one line (with or without its '\n'). <paramref name="exchange"/> and
    /// <paramref name="instId"/> are the file's (empty: any); a valid line of another instrument gives
    /// <see cref="RawLineError.ForeignExchange"/> or <see cref="RawLineError.ForeignInstId"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path of bars_1m: optimised at once, not after tiering
    public static RawLineError Read(ReadOnlySpan<byte> line, ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> instId,
        out RawTradeSpans trade)
    {
        trade = default;
        if (line.Length > 0 && line[^1] == '\n')
        {
            line = line[..^1];
        }

        // Printable ASCII only (the writer's output): the in-place path needs no escapes or UTF-8 checks.
        if (line.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || !TryCanonical(line, ref trade))
        {
            if (!Utf8.IsValid(line))
            {
                return RawLineError.NotUtf8;
            }

            trade = default;
            var error = ReadGeneral(line, ref trade);
            if (error != RawLineError.None)
            {
                return error;
            }
        }

        return Validate(ref trade, exchange, instId);
    }

    /// <summary>One line of text for a reason (constant strings: reporting allocates nothing).</summary>
    public static string Describe(RawLineError error) => error switch
    {
        RawLineError.None => "valid",
        RawLineError.NotUtf8 => "not valid UTF-8",
        RawLineError.NotJson => "invalid JSON: not one flat object with string and integer values",
        RawLineError.MissingKey => "missing a required key (exchange, instId, tradeId, ts, px, sz, side, ctVal, ctMult, ctType, ctValCcy, qtyBase, recvTs, src)",
        RawLineError.BadExchange => "exchange is not a valid exchange name",
        RawLineError.BadInstId => "instId is not a valid instrument id",
        RawLineError.BadTradeId => "tradeId is not a decimal integer that fits a long",
        RawLineError.BadTs => "ts is not an integer in [2000-01-01, 2100-01-01)",
        RawLineError.BadRecvTs => "recvTs is not an integer in [0, 2100-01-01)",
        RawLineError.BadPx => "px is not a positive plain decimal (at most 20 integer digits and 28 decimals, exact in C# decimal)",
        RawLineError.BadSz => "sz is not a positive plain decimal (at most 20 integer digits and 28 decimals, exact in C# decimal)",
        RawLineError.BadQtyBase => "qtyBase is not a positive plain decimal (at most 20 integer digits and 28 decimals, exact in C# decimal)",
        RawLineError.BadSide => "side is neither buy nor sell",
        RawLineError.BadContract => "ctVal, ctMult, ctType or ctValCcy is invalid",
        RawLineError.BadSrc => "src is not a short token",
        RawLineError.BadOptional => "count, firstId or lastId is not a valid integer",
        RawLineError.ForeignExchange => "the line's exchange is not the file's",
        RawLineError.ForeignInstId => "the line's instId is not the file's",
        _ => "invalid",
    };

    /// <summary>
    /// A plain positive decimal ("65000.1", "0.00000001"): digits with an optional fraction, no sign or
    /// exponent, at most 20 integer digits and 28 decimals, held exactly by C# decimal. Parsed exactly (scale kept).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryAmount(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        ulong mantissa = 0;
        var digits = 0;
        var significant = 0;
        var integerSignificant = 0;
        var scale = 0;
        var dot = false;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            var d = (uint)(b - '0');
            if (d <= 9)
            {
                digits++;
                if (dot)
                {
                    scale++;
                }

                if (significant == 0 && d == 0)
                {
                    continue;
                }

                significant++;
                if (!dot)
                {
                    integerSignificant++;
                }

                if (significant <= 19)
                {
                    mantissa = (mantissa * 10) + d;
                }
            }
            else if (b == '.' && !dot && digits > 0)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }

        if (significant == 0 || (dot && scale == 0) || scale > 28 || integerSignificant > MaxIntegerDigits
            || significant > MaxSignificantDigits)
        {
            return false;
        }

        if (significant > 19)
        {
            // Exact or nothing: a 29-digit mantissa past 2^96 would be rounded, which shows as a smaller scale.
            return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && value.Scale == scale;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);
        return true;
    }

    /// <summary>A trade id: 1–19 decimal digits, no leading zero (except "0"), at most <see cref="long.MaxValue"/>.</summary>
    public static bool TryTradeId(ReadOnlySpan<byte> text, out long id)
    {
        id = 0;
        if (text.Length is 0 or > 19 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        ulong n = 0;
        foreach (var b in text)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            n = (n * 10) + d;
        }

        if (n > long.MaxValue)
        {
            return false;
        }

        id = (long)n;
        return true;
    }

    public static bool IsPlausibleTs(long ts) => ts is >= MinTs and < MaxTs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RawLineError Validate(ref RawTradeSpans t, ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> instId)
    {
        if ((t.Keys & Required) != Required)
        {
            return RawLineError.MissingKey;
        }

        if (exchange.IsEmpty || !t.Exchange.SequenceEqual(exchange))
        {
            if (!IsExchangeName(t.Exchange))
            {
                return RawLineError.BadExchange;
            }

            if (!exchange.IsEmpty)
            {
                return RawLineError.ForeignExchange;
            }
        }

        if (instId.IsEmpty || !t.InstId.SequenceEqual(instId))
        {
            if (!IsInstIdName(t.InstId))
            {
                return RawLineError.BadInstId;
            }

            if (!instId.IsEmpty)
            {
                return RawLineError.ForeignInstId;
            }
        }

        if (!TryTradeId(t.TradeIdText, out var id))
        {
            return RawLineError.BadTradeId;
        }

        t.TradeId = id;
        if (!IsPlausibleTs(t.Ts))
        {
            return RawLineError.BadTs;
        }

        if (t.RecvTs is < 0 or >= MaxTs)
        {
            return RawLineError.BadRecvTs;
        }

        if (!TryAmount(t.PxText, out var px))
        {
            return RawLineError.BadPx;
        }

        t.Px = px;
        if (!TryAmount(t.SzText, out _))
        {
            return RawLineError.BadSz;
        }

        var side = t.Side;
        if (side.Length == 3 && side[0] == 'b' && side[1] == 'u' && side[2] == 'y')
        {
            t.IsBuy = true;
        }
        else if (!side.SequenceEqual("sell"u8))
        {
            return RawLineError.BadSide;
        }

        if (!TryAmount(t.CtVal, out _) || !TryAmount(t.CtMult, out _)
            || !(t.CtType.SequenceEqual("linear"u8) || t.CtType.SequenceEqual("inverse"u8)) || !IsToken(t.CtValCcy))
        {
            return RawLineError.BadContract;
        }

        if (!TryAmount(t.QtyBaseText, out var qty))
        {
            return RawLineError.BadQtyBase;
        }

        t.QtyBase = qty;
        if (!IsToken(t.Src))
        {
            return RawLineError.BadSrc;
        }

        if ((t.HasCount && t.Count is < 1 or > int.MaxValue) || (t.HasFirstId && t.FirstId < 0) || (t.HasLastId && t.LastId < 0))
        {
            return RawLineError.BadOptional;
        }

        return RawLineError.None;
    }

    /// <summary>
    /// The exact layout RawTradeWriter writes: keys in the documented order, no whitespace, no escapes,
    /// JSON integers without sign or leading zeros. False: not this layout (the general reader decides).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryCanonical(ReadOnlySpan<byte> line, ref RawTradeSpans t)
    {
        var i = 0;
        if (!Key(line, ref i, "{\"exchange\":\""u8) || !Str(line, ref i, out var exchange)
            || !Key(line, ref i, ",\"instId\":\""u8) || !Str(line, ref i, out var instId)
            || !Key(line, ref i, ",\"tradeId\":\""u8) || !Str(line, ref i, out var tradeId)
            || !Key(line, ref i, ",\"ts\":"u8) || !Int(line, ref i, out var ts)
            || !Key(line, ref i, ",\"px\":\""u8) || !Str(line, ref i, out var px)
            || !Key(line, ref i, ",\"sz\":\""u8) || !Str(line, ref i, out var sz)
            || !Key(line, ref i, ",\"side\":\""u8) || !Str(line, ref i, out var side)
            || !Key(line, ref i, ",\"ctVal\":\""u8) || !Str(line, ref i, out var ctVal)
            || !Key(line, ref i, ",\"ctMult\":\""u8) || !Str(line, ref i, out var ctMult)
            || !Key(line, ref i, ",\"ctType\":\""u8) || !Str(line, ref i, out var ctType)
            || !Key(line, ref i, ",\"ctValCcy\":\""u8) || !Str(line, ref i, out var ctValCcy)
            || !Key(line, ref i, ",\"qtyBase\":\""u8) || !Str(line, ref i, out var qtyBase)
            || !Key(line, ref i, ",\"recvTs\":"u8) || !Int(line, ref i, out var recvTs)
            || !Key(line, ref i, ",\"src\":\""u8) || !Str(line, ref i, out var src))
        {
            return false;
        }

        var keys = Required;
        if (Key(line, ref i, ",\"count\":"u8))
        {
            if (!Int(line, ref i, out var count))
            {
                return false;
            }

            t.Count = count;
            keys |= CountBit;
        }

        if (Key(line, ref i, ",\"firstId\":"u8))
        {
            if (!Int(line, ref i, out var firstId))
            {
                return false;
            }

            t.FirstId = firstId;
            keys |= FirstIdBit;
        }

        if (Key(line, ref i, ",\"lastId\":"u8))
        {
            if (!Int(line, ref i, out var lastId))
            {
                return false;
            }

            t.LastId = lastId;
            keys |= LastIdBit;
        }

        if (i != line.Length - 1 || line[i] != '}')
        {
            return false;
        }

        t.Exchange = exchange;
        t.InstId = instId;
        t.TradeIdText = tradeId;
        t.Ts = ts;
        t.PxText = px;
        t.SzText = sz;
        t.Side = side;
        t.CtVal = ctVal;
        t.CtMult = ctMult;
        t.CtType = ctType;
        t.CtValCcy = ctValCcy;
        t.QtyBaseText = qtyBase;
        t.RecvTs = recvTs;
        t.Src = src;
        t.Keys = keys;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Key(ReadOnlySpan<byte> line, scoped ref int i, ReadOnlySpan<byte> text)
    {
        if (!line[i..].StartsWith(text))
        {
            return false;
        }

        i += text.Length;
        return true;
    }

    /// <summary>A string body up to its closing quote (the line is printable ASCII; a backslash leaves it to the general reader).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Str(ReadOnlySpan<byte> line, scoped ref int i, out ReadOnlySpan<byte> value)
    {
        // A plain loop: the values are a few bytes long, where a vectorised search costs more to set up
        // than it saves (14 strings a line on the bars_1m hot path).
        var j = i;
        while (j < line.Length)
        {
            var b = line[j];
            if (b == '"')
            {
                value = line[i..j];
                i = j + 1;
                return true;
            }

            if (b == '\\')
            {
                break;
            }

            j++;
        }

        value = default;
        return false;
    }

    /// <summary>A JSON integer without sign: "0" or 1–18 digits not starting with 0 (a sign or more digits: general reader).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Int(ReadOnlySpan<byte> line, scoped ref int i, out long value)
    {
        value = 0;
        var start = i;
        while (i < line.Length && (uint)(line[i] - '0') <= 9)
        {
            value = (value * 10) + (line[i] - '0');
            i++;
            if (i - start > 18)
            {
                return false;
            }
        }

        var length = i - start;
        return length == 1 || (length > 1 && line[start] != '0');
    }

    /// <summary>Any layout, through <see cref="Utf8JsonReader"/> (the line is valid UTF-8).</summary>
    private static RawLineError ReadGeneral(ReadOnlySpan<byte> line, ref RawTradeSpans t)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return RawLineError.NotJson;
            }

            var keys = 0;
            while (true)
            {
                if (!reader.Read())
                {
                    return RawLineError.NotJson;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var name = Text(ref reader);
                if (!reader.Read())
                {
                    return RawLineError.NotJson;
                }

                var bit = KeyBit(name);
                if (bit == 0)
                {
                    reader.Skip(); // unknown keys are tolerated: later versions may add columns
                    continue;
                }

                keys |= bit;
                var error = bit is TsBit or RecvTsBit or CountBit or FirstIdBit or LastIdBit
                    ? Integer(ref reader, bit, ref t)
                    : String(ref reader, bit, ref t);
                if (error != RawLineError.None)
                {
                    return error;
                }
            }

            if (reader.Read())
            {
                return RawLineError.NotJson;
            }

            t.Keys = keys;
            return RawLineError.None;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return RawLineError.NotJson; // invalid JSON, or an escape that is not valid text
        }
    }

    private static RawLineError Integer(scoped ref Utf8JsonReader reader, int bit, ref RawTradeSpans t)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            return bit switch
            {
                TsBit => RawLineError.BadTs,
                RecvTsBit => RawLineError.BadRecvTs,
                _ => RawLineError.BadOptional,
            };
        }

        switch (bit)
        {
            case TsBit: t.Ts = value; break;
            case RecvTsBit: t.RecvTs = value; break;
            case CountBit: t.Count = value; break;
            case FirstIdBit: t.FirstId = value; break;
            default: t.LastId = value; break;
        }

        return RawLineError.None;
    }

    private static RawLineError String(scoped ref Utf8JsonReader reader, int bit, ref RawTradeSpans t)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return bit switch
            {
                ExchangeBit => RawLineError.BadExchange,
                InstIdBit => RawLineError.BadInstId,
                TradeIdBit => RawLineError.BadTradeId,
                PxBit => RawLineError.BadPx,
                SzBit => RawLineError.BadSz,
                SideBit => RawLineError.BadSide,
                QtyBaseBit => RawLineError.BadQtyBase,
                SrcBit => RawLineError.BadSrc,
                _ => RawLineError.BadContract,
            };
        }

        var value = Text(ref reader);
        switch (bit)
        {
            case ExchangeBit: t.Exchange = value; break;
            case InstIdBit: t.InstId = value; break;
            case TradeIdBit: t.TradeIdText = value; break;
            case PxBit: t.PxText = value; break;
            case SzBit: t.SzText = value; break;
            case SideBit: t.Side = value; break;
            case CtValBit: t.CtVal = value; break;
            case CtMultBit: t.CtMult = value; break;
            case CtTypeBit: t.CtType = value; break;
            case CtValCcyBit: t.CtValCcy = value; break;
            case QtyBaseBit: t.QtyBaseText = value; break;
            default: t.Src = value; break;
        }

        return RawLineError.None;
    }

    /// <summary>A string token's text, unescaped (a copy only when the JSON escaped it).</summary>
    private static ReadOnlySpan<byte> Text(scoped ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    private static int KeyBit(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("exchange"u8)) { return ExchangeBit; }
        if (name.SequenceEqual("instId"u8)) { return InstIdBit; }
        if (name.SequenceEqual("tradeId"u8)) { return TradeIdBit; }
        if (name.SequenceEqual("ts"u8)) { return TsBit; }
        if (name.SequenceEqual("px"u8)) { return PxBit; }
        if (name.SequenceEqual("sz"u8)) { return SzBit; }
        if (name.SequenceEqual("side"u8)) { return SideBit; }
        if (name.SequenceEqual("ctVal"u8)) { return CtValBit; }
        if (name.SequenceEqual("ctMult"u8)) { return CtMultBit; }
        if (name.SequenceEqual("ctType"u8)) { return CtTypeBit; }
        if (name.SequenceEqual("ctValCcy"u8)) { return CtValCcyBit; }
        if (name.SequenceEqual("qtyBase"u8)) { return QtyBaseBit; }
        if (name.SequenceEqual("recvTs"u8)) { return RecvTsBit; }
        if (name.SequenceEqual("src"u8)) { return SrcBit; }
        if (name.SequenceEqual("count"u8)) { return CountBit; }
        if (name.SequenceEqual("firstId"u8)) { return FirstIdBit; }
        return name.SequenceEqual("lastId"u8) ? LastIdBit : 0;
    }

    /// <summary>^[a-z][a-z0-9_-]{0,31}$ (VaultNames.IsExchange on bytes).</summary>
    private static bool IsExchangeName(ReadOnlySpan<byte> s)
    {
        if (s.Length is 0 or > 32 || (uint)(s[0] - 'a') > 25)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!((uint)(b - 'a') <= 25 || (uint)(b - '0') <= 9 || b is (byte)'_' or (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>^[A-Z0-9][A-Z0-9._-]{0,63}$ without ".." (VaultNames.IsInstId on bytes).</summary>
    private static bool IsInstIdName(ReadOnlySpan<byte> s)
    {
        if (s.Length is 0 or > 64 || s[0] is (byte)'.' or (byte)'_' or (byte)'-' || s.IndexOf(".."u8) >= 0)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!((uint)(b - 'A') <= 25 || (uint)(b - '0') <= 9 || b is (byte)'.' or (byte)'_' or (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>1–32 bytes of [A-Za-z0-9._-] (ctValCcy, src).</summary>
    private static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (!((uint)(b - 'A') <= 25 || (uint)(b - 'a') <= 25 || (uint)(b - '0') <= 9 || b is (byte)'.' or (byte)'_' or (byte)'-'))
            {
                return false;
            }
        }

        return true;
    }
}
