using Pipeline.Vault.DuckDb;

namespace Pipeline.Jobs.Query;

/// <summary>How the query outputs show one value: exact text, never through double for decimals.</summary>
public static class QueryCell
{
    /// <summary>
    /// The value's text, or null for NULL. DECIMAL drops trailing fractional zeros ("65000.1", not
    /// "65000.100000000000000000"); everything else is <see cref="DuckDbReader.GetString"/>.
    /// </summary>
    public static string? Text(DuckDbReader reader, int i)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.IsNull(i))
        {
            return null;
        }

        var text = reader.GetString(i);
        return reader.GetColumnType(i) == DuckDbType.Decimal ? TrimFraction(text) : text;
    }

    /// <summary>"1.500" → "1.5", "2.000" → "2", "-0.000" → "0"; integers unchanged.</summary>
    public static string TrimFraction(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            return text;
        }

        var trimmed = text.TrimEnd('0').TrimEnd('.');
        return trimmed is "-0" or "" or "-" ? "0" : trimmed;
    }

    /// <summary>
    /// <paramref name="text"/> with every control character written as an escape: \n, \r, \t, \x1b,
    /// \u0085, ... (C0, DEL, C1, and the bidirectional overrides that reorder what a terminal shows).
    /// Text without them is returned as is. With <paramref name="keepLineBreaks"/>, '\n' stays a line break.
    /// </summary>
    public static string EscapeControls(string text, bool keepLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Controls);
        if (first < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 16);
        builder.Append(text.AsSpan(0, first));
        foreach (var c in text.AsSpan(first))
        {
            if (!Controls.Contains(c) || (keepLineBreaks && c == '\n'))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < '\u0100' => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }

        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(i => (char)i)) + "\u007f" +
        string.Concat(Enumerable.Range(0x80, 0x20).Select(i => (char)i)) +
        "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069");
}
