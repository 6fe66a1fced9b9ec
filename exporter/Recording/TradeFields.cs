using System.Buffers.Text;
using System.Text.Json;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Recording;

/// <summary>Validation helpers shared by the exchange frame parsers (all on UTF-8 spans, no allocation).</summary>
public static class TradeFields
{
    /// <summary>An id or ms timestamp sent as a JSON string or number: digits only, fits a long.</summary>
    public static bool TryLong(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out value) && value >= 0;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var span = reader.ValueSpan;
        if (span.Length is 0 or > 18)
        {
            return false;
        }

        foreach (var b in span)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(span, out value, out var consumed) && consumed == span.Length;
    }

    /// <summary>A positive plain decimal (no exponent) as a JSON string.</summary>
    public static bool IsPositiveDecimal(in Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped &&
        ExactDecimal.TryParse(reader.ValueSpan, out var value) && value > 0;
}
