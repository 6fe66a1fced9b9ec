using System.Text.Json;
using Pipeline.Exporter.Micro;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// The allocation-free reader of OKX's commonest frame, a <c>books</c> update with one row and checksum 0 (OKX's rule
/// since 23 June 2026): <c>{"arg":{"channel":"books","instId":…},"action":"update","data":[{asks,bids,ts,checksum,
/// prevSeqId,seqId}]}</c>. Fields are checked by the same <see cref="OkxMicroFields"/> as the record path; anything
/// else (a snapshot, several rows, a non-zero checksum, an unexpected or repeated key, an escaped string, a malformed
/// value) returns false and the frame takes the record path, which says what is wrong.
/// </summary>
internal static class OkxBookUpdateReader
{
    public static bool TryRead(ReadOnlySpan<byte> frame, long recvTs, BookUpdate update) =>
        BookUpdate.TryReadJson(frame, recvTs, update, Read);

    private static bool Read(ReadOnlySpan<byte> frame, BookUpdate update)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool arg = false, action = false, data = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("arg"u8) && !arg)
            {
                arg = ReadArg(ref reader, update);
                if (!arg)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("action"u8) && !action)
            {
                action = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("update"u8);
                if (!action)
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("data"u8) && !data)
            {
                data = ReadData(ref reader, update);
                if (!data)
                {
                    return false;
                }
            }
            else
            {
                return false; // an event, a code, a repeated key: the record path decides
            }
        }

        return arg && action && data && reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0;
    }

    private static bool ReadArg(ref Utf8JsonReader reader, BookUpdate update)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool books = false, instId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.ValueSpan;
            reader.Read();
            if (key.SequenceEqual("channel"u8) && !books)
            {
                books = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("books"u8);
                if (!books)
                {
                    return false;
                }
            }
            else if (key.SequenceEqual("instId"u8) && !instId)
            {
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length == 0 || !update.SetInstId(reader.ValueSpan))
                {
                    return false;
                }

                instId = true;
            }
            else if (key.SequenceEqual("channel"u8) || key.SequenceEqual("instId"u8))
            {
                return false;
            }
            else
            {
                reader.Skip();
            }
        }

        return books && instId;
    }

    /// <summary>Exactly one row: several rows in one push take the record path.</summary>
    private static bool ReadData(ref Utf8JsonReader reader, BookUpdate update)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        return ReadRow(ref reader, update) && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadRow(ref Utf8JsonReader reader, BookUpdate update)
    {
        bool ts = false, seq = false, prev = false, checksum = false, bids = false, asks = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            bool ok;
            if (name.SequenceEqual("ts"u8) && !ts)
            {
                ok = ts = OkxMicroFields.TryTs(ref reader, out var value);
                update.Ts = value;
            }
            else if (name.SequenceEqual("seqId"u8) && !seq)
            {
                ok = seq = OkxMicroFields.TrySeqId(ref reader, out var value);
                update.Seq = value;
            }
            else if (name.SequenceEqual("prevSeqId"u8) && !prev)
            {
                // -1 is a snapshot's: an update with it is refused by the record path.
                ok = prev = OkxMicroFields.TryPrevSeqId(ref reader, out var value) && value >= 0;
                update.PrevSeq = value;
            }
            else if (name.SequenceEqual("checksum"u8) && !checksum)
            {
                // A non-zero checksum is verified on the book: the record path keeps one.
                ok = checksum = OkxMicroFields.TryChecksum(ref reader, out var value) && value is null;
            }
            else if (name.SequenceEqual("bids"u8) && !bids)
            {
                ok = bids = ReadLevels(ref reader, update, bid: true);
            }
            else if (name.SequenceEqual("asks"u8) && !asks)
            {
                ok = asks = ReadLevels(ref reader, update, bid: false);
            }
            else if (name.SequenceEqual("ts"u8) || name.SequenceEqual("seqId"u8) || name.SequenceEqual("prevSeqId"u8) ||
                     name.SequenceEqual("checksum"u8) || name.SequenceEqual("bids"u8) || name.SequenceEqual("asks"u8))
            {
                ok = false;
            }
            else
            {
                reader.Skip();
                ok = true;
            }

            if (!ok)
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && ts && seq && prev && bids && asks;
    }

    /// <summary>[[px, sz, "0", orders], ...]: the same rules as <see cref="OkxMicroRows.ReadLevels"/>.</summary>
    private static bool ReadLevels(ref Utf8JsonReader reader, BookUpdate update, bool bid)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || !OkxMicroFields.IsDecimal(reader, positive: true))
            {
                return false;
            }

            var px = reader.ValueSpan;
            if (!reader.Read() || !OkxMicroFields.IsDecimal(reader, positive: false) || reader.ValueSpan[0] == (byte)'-')
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
}
