using Pipeline.Vault.DuckDb;

namespace Pipeline.Jobs.Query;

/// <summary>
/// CSV: a header row of column names, then one row per result row, streamed. RFC 4180 quoting
/// (a field with a comma, quote, CR or LF is quoted, quotes doubled); NULL is an empty field;
/// lines end in '\n'.
/// </summary>
public static class CsvRowWriter
{
    public static async Task<long> WriteAsync(DuckDbReader reader, TextWriter output, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            WriteField(output, i, reader.GetName(i));
        }

        output.Write('\n');
        long rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                WriteField(output, i, QueryCell.Text(reader, i));
            }

            output.Write('\n');
            if (++rows % 65536 == 0)
            {
                token.ThrowIfCancellationRequested();
                await output.FlushAsync(token);
            }
        }

        return rows;
    }

    private static void WriteField(TextWriter output, int index, string? value)
    {
        if (index > 0)
        {
            output.Write(',');
        }

        if (value is null)
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            output.Write(value);
            return;
        }

        output.Write('"');
        output.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        output.Write('"');
    }
}
