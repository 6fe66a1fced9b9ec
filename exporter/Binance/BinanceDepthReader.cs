using System.Text.Json;
using Pipeline.Exporter.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// The allocation-free reader of Binance's commonest microstructure frame, a combined-stream <c>depthUpdate</c>
/// (<c>{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E","T","s","U","u","pu","b","a"}}</c>), by the
/// same rules as <see cref="BinanceMicroProtocol.TryParse"/>: ids and times as non-negative JSON numbers, event time T
/// (else E), U ≤ u, levels <c>[price, qty]</c> as plain decimals (price above zero; further elements ignored).
/// Anything else (a raw event, another event type, a repeated key, an id sent as a string, an escaped string, a
/// malformed value) returns false and the frame takes the record path, which says what is wrong.
/// </summary>
internal static class BinanceDepthReader
{
    /// <summary>Longer decimals are left to the record path (its checks cover every length).</summary>
    private const int MaxShortDecimal = 28;

    public static bool TryRead(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update) =>
        BookUpdate.TryReadJson(frame, recvTs, update, Read);

    private static bool Read(ReadOnlySpan<byte> frame, BookUpdate update)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool stream = false, data = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("stream"u8) && !stream)
            {
                stream = true;
                reader.Skip();
            }
            else if (name.SequenceEqual("data"u8) && !data)
            {
                data = reader.TokenType == JsonTokenType.StartObject && ReadEvent(ref reader, update);
                if (!data)
                {
                    return false;
                }
            }
            else
            {
                return false; // a result, an error, a raw event, a repeated key: the record path decides
            }
        }

        return data && reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0;
    }

    private static bool ReadEvent(ref Utf8JsonReader reader, BookUpdate update)
    {
        // Each field's bit once seen: a repeated key takes the record path.
        const int E = 1, T = 2, S = 4, First = 8, Last = 16, Prev = 32, Bids = 64, Asks = 128, Type = 256;
        var seen = 0;
        long eventTime = 0, tradeTime = 0;
        bool eventTimeOk = false, tradeTimeOk = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            int bit;
            var ok = true;
            if (name.SequenceEqual("e"u8))
            {
                bit = Type;
                ok = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("depthUpdate"u8);
            }
            else if (name.SequenceEqual("E"u8))
            {
                bit = E;
                eventTimeOk = TryLong(ref reader, out eventTime); // only needed when T is absent
            }
            else if (name.SequenceEqual("T"u8))
            {
                bit = T;
                tradeTimeOk = TryLong(ref reader, out tradeTime);
            }
            else if (name.SequenceEqual("s"u8))
            {
                bit = S;
                ok = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length > 0 && update.SetInstId(reader.ValueSpan);
            }
            else if (name.SequenceEqual("U"u8))
            {
                bit = First;
                ok = TryLong(ref reader, out var first);
                update.FirstSeq = first;
            }
            else if (name.SequenceEqual("u"u8))
            {
                bit = Last;
                ok = TryLong(ref reader, out var last);
                update.Seq = last;
            }
            else if (name.SequenceEqual("pu"u8))
            {
                bit = Prev;
                ok = TryLong(ref reader, out var prev);
                update.PrevSeq = prev;
            }
            else if (name.SequenceEqual("b"u8))
            {
                bit = Bids;
                ok = ReadLevels(ref reader, update, bid: true);
            }
            else if (name.SequenceEqual("a"u8))
            {
                bit = Asks;
                ok = ReadLevels(ref reader, update, bid: false);
            }
            else
            {
                reader.Skip();
                continue;
            }

            if (!ok || (seen & bit) != 0)
            {
                return false;
            }

            seen |= bit;
        }

        if (reader.TokenType != JsonTokenType.EndObject || (seen | E | T) != (E | T | S | First | Last | Prev | Bids | Asks | Type) ||
            update.FirstSeq > update.Seq)
        {
            return false;
        }

        // Event time: T when sent and positive, else E (an unusable T takes the record path, which falls back to E).
        if ((seen & T) != 0)
        {
            update.Ts = tradeTime;
            return tradeTimeOk && tradeTime > 0;
        }

        update.Ts = eventTime;
        return eventTimeOk && eventTime > 0;
    }

    /// <summary>A non-negative id or time sent as a JSON number (a digit string takes the record path).</summary>
    private static bool TryLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) && value >= 0;
    }

    private static bool ReadLevels(ref Utf8JsonReader reader, BookUpdate update, bool bid)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || !IsDecimal(reader, positive: true))
            {
                return false;
            }

            var px = reader.ValueSpan;
            if (!reader.Read() || !IsDecimal(reader, positive: false))
            {
                return false;
            }

            update.AddLevel(bid, px, reader.ValueSpan);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    /// <summary><see cref="BinanceMicroFields.IsDecimal"/> on the token: a non-empty plain decimal string, unsigned, above zero when <paramref name="positive"/>.</summary>
    private static bool IsDecimal(in Utf8JsonReader reader, bool positive)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var text = reader.ValueSpan;
        return text.Length is > 0 and <= MaxShortDecimal && text[0] != (byte)'-' &&
            (positive ? PlainDecimal.IsPositive(text) : ExactDecimal.IsPlain(text));
    }
}
