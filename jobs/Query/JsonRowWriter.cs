using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Jobs.Query;

/// <summary>
/// JSON Lines: one object per row (keys = column names, in order), streamed, like the vault's own
/// files. Integers are JSON numbers; DECIMAL values are strings with their exact digits (as the
/// vault writes them); DOUBLE/FLOAT are numbers (non-finite ones strings); times ISO 8601 strings;
/// NULL is null.
/// </summary>
public static class JsonRowWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep non-ASCII readable; still valid JSON
        SkipValidation = false,
    };

    public static async Task<long> WriteAsync(DuckDbReader reader, TextWriter output, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        var names = Enumerable.Range(0, reader.FieldCount).Select(i => JsonEncodedText.Encode(reader.GetName(i), Options.Encoder)).ToArray();
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer, Options);
        long rows = 0;
        while (reader.Read())
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            json.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                json.WritePropertyName(names[i]);
                WriteValue(json, reader, i);
            }

            json.WriteEndObject();
            json.Flush();
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Write('\n');
            if (++rows % 65536 == 0)
            {
                token.ThrowIfCancellationRequested();
                await output.FlushAsync(token);
            }
        }

        return rows;
    }

    private static void WriteValue(Utf8JsonWriter json, DuckDbReader reader, int i)
    {
        if (reader.IsNull(i))
        {
            json.WriteNullValue();
            return;
        }

        switch (reader.GetColumnType(i))
        {
            case DuckDbType.Boolean:
                json.WriteBooleanValue(reader.GetBoolean(i));
                break;
            case DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
                or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger or DuckDbType.UBigInt
                or DuckDbType.HugeInt or DuckDbType.UHugeInt:
                json.WriteRawValue(reader.GetString(i), skipInputValidation: true); // exact digits
                break;
            case DuckDbType.Float or DuckDbType.Double:
                var value = reader.GetDouble(i);
                if (double.IsFinite(value))
                {
                    json.WriteNumberValue(value);
                }
                else
                {
                    json.WriteStringValue(reader.GetString(i));
                }

                break;
            default:
                json.WriteStringValue(QueryCell.Text(reader, i));
                break;
        }
    }
}
