using System.Globalization;
using Pipeline.Vault.DuckDb;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Jobs.Query;

/// <summary>
/// A Spectre.Console table: text left-aligned, numbers right-aligned, NULL shown as "NULL", control
/// characters shown escaped (data must not drive the terminal: ESC sequences recolour, move the cursor,
/// set the title; csv and json stay byte-exact). A
/// table needs its rows before it can size columns, so it holds at most <c>maxRows</c> and then
/// only counts the rest (csv/json stream everything).
/// </summary>
public static class TableRowWriter
{
    /// <param name="lineBreaks">keep line breaks in values (an EXPLAIN plan, drawn by DuckDB over several lines)</param>
    public static long Write(DuckDbReader reader, IAnsiConsole console, int maxRows, CancellationToken token, bool lineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var column = new TableColumn(new Text(QueryCell.EscapeControls(reader.GetName(i))));
            column = reader.Columns[i].IsNumeric ? column.RightAligned() : column.LeftAligned();
            table.AddColumn(column);
        }

        long rows = 0;
        while (reader.Read())
        {
            if (maxRows <= 0 || rows < maxRows)
            {
                var cells = new IRenderable[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    var text = QueryCell.Text(reader, i);
                    cells[i] = text is null ? new Text("NULL", new Style(decoration: Decoration.Dim)) : new Text(QueryCell.EscapeControls(text, lineBreaks));
                }

                table.AddRow(cells);
            }

            if (++rows % 65536 == 0)
            {
                token.ThrowIfCancellationRequested();
            }
        }

        console.Write(table);
        var shown = maxRows > 0 ? Math.Min(rows, maxRows) : rows;
        console.WriteLine(shown == rows
            ? string.Create(CultureInfo.InvariantCulture, $"{rows:N0} {(rows == 1 ? "row" : "rows")}")
            : string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows, first {shown:N0} shown (--max-rows 0 shows all; --format csv|json streams them)"));
        return rows;
    }
}
