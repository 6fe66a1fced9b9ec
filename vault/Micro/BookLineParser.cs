using System.Text.Json;

namespace Pipeline.Vault.Micro;

/// <summary>
/// The replay's fast reader of a book line: straight from the line's UTF-8 bytes with <see cref="Utf8JsonReader"/> (no
/// string of the line, no document). Null for anything it does not recognise as a well-formed book line; the caller
/// then asks <see cref="MicroLineReader.Book"/>, which accepts the same lines and says what is wrong with the others.
/// </summary>
internal static class BookLineParser
{
    public static BookRecord? TryParse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        string? exchange = null, instId = null, src = null, reason = null;
        BookRecordType? type = null;
        long? ts = null, seq = null, prevSeq = null, firstSeq = null, checksum = null, recvTs = null;
        List<BookLevel> bids = [], asks = [];
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                if (!reader.Read())
                {
                    return null;
                }

                if (name.SequenceEqual("bids"u8) || name.SequenceEqual("asks"u8))
                {
                    if (!Levels(ref reader, name[0] == (byte)'b' ? bids : asks))
                    {
                        return null;
                    }

                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (name.SequenceEqual("type"u8))
                {
                    type = reader.ValueTextEquals("update"u8) ? BookRecordType.Update
                        : reader.ValueTextEquals("snapshot"u8) ? BookRecordType.Snapshot
                        : reader.ValueTextEquals("resync"u8) ? BookRecordType.Resync
                        : null;
                    if (type is null)
                    {
                        return null;
                    }
                }
                else if (name.SequenceEqual("exchange"u8)) { exchange = reader.GetString(); }
                else if (name.SequenceEqual("instId"u8)) { instId = reader.GetString(); }
                else if (name.SequenceEqual("src"u8)) { src = reader.GetString(); }
                else if (name.SequenceEqual("reason"u8)) { reason = reader.GetString(); }
                else if (name.SequenceEqual("ts"u8)) { ts = reader.GetInt64(); }
                else if (name.SequenceEqual("seq"u8)) { seq = reader.GetInt64(); }
                else if (name.SequenceEqual("prevSeq"u8)) { prevSeq = reader.GetInt64(); }
                else if (name.SequenceEqual("firstSeq"u8)) { firstSeq = reader.GetInt64(); }
                else if (name.SequenceEqual("checksum"u8)) { checksum = reader.GetInt64(); }
                else if (name.SequenceEqual("recvTs"u8)) { recvTs = reader.GetInt64(); }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != line.Length)
        {
            return null; // not one whole object: the full reader decides
        }

        if (exchange is null || instId is null || type is not { } t || ts is not { } time || recvTs is not { } recv || src is null)
        {
            return null;
        }

        return new BookRecord
        {
            Exchange = exchange, InstId = instId, Type = t, Ts = time, Seq = seq, PrevSeq = prevSeq, FirstSeq = firstSeq, Bids = bids,
            Asks = asks, Checksum = checksum, Reason = reason, RecvTs = recv, Src = src,
        };
    }

    private static bool Levels(ref Utf8JsonReader reader, List<BookLevel> levels)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            var px = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            var sz = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            levels.Add(new BookLevel(px, sz));
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
