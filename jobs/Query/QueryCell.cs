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
}
