using System.Text;
using System.Text.Json;

namespace Pipeline.Exporter.Okx;

/// <summary>The top level of an OKX frame: arg, action, event, code/msg, and where the data array is.</summary>
internal readonly record struct OkxMicroEnvelope(
    string? Channel, string? InstId, string? Action, string? Event, string? Code, string? Msg, int DataStart, int DataLength, string? Problem)
{
    public static OkxMicroEnvelope Read(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new OkxMicroEnvelope(null, null, null, null, null, null, 0, 0, "not a JSON object");
        }

        string? channel = null, instId = null, action = null, ev = null, code = null, msg = null;
        int dataStart = 0, dataLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("data"u8))
            {
                dataStart = (int)reader.TokenStartIndex;
                reader.Skip();
                dataLength = (int)reader.BytesConsumed - dataStart;
            }
            else if (name.SequenceEqual("arg"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.ValueSpan;
                    reader.Read();
                    if (key.SequenceEqual("channel"u8) && reader.TokenType == JsonTokenType.String)
                    {
                        channel = reader.GetString();
                    }
                    else if (key.SequenceEqual("instId"u8) && reader.TokenType == JsonTokenType.String)
                    {
                        instId = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (name.SequenceEqual("action"u8) && reader.TokenType == JsonTokenType.String)
            {
                action = reader.GetString();
            }
            else if (name.SequenceEqual("event"u8) && reader.TokenType == JsonTokenType.String)
            {
                ev = reader.GetString();
            }
            else if (name.SequenceEqual("code"u8) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                code = Encoding.UTF8.GetString(reader.ValueSpan);
            }
            else if (name.SequenceEqual("msg"u8) && reader.TokenType == JsonTokenType.String)
            {
                msg = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0
            ? new OkxMicroEnvelope(null, null, null, null, null, null, 0, 0, "truncated frame")
            : new OkxMicroEnvelope(channel, instId, action, ev, code, msg, dataStart, dataLength, null);
    }
}
