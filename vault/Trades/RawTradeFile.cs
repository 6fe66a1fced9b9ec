using Pipeline.Vault.Jsonl;

namespace Pipeline.Vault.Trades;

/// <summary>Reads the trades of one raw day file, reporting unparsable lines instead of throwing.</summary>
public static class RawTradeFile
{
    /// <summary>
    /// Calls <paramref name="onTrade"/> for every parsable complete line from <paramref name="offset"/>
    /// and <paramref name="onIssue"/> for every other one; returns the offset after the last complete line.
    /// </summary>
    public static long Read(string path, long offset, Action<RawTrade, long> onTrade, Action<LineIssue>? onIssue = null)
    {
        ArgumentNullException.ThrowIfNull(onTrade);
        var parser = new RawTradeParser();
        using var reader = JsonlReader.Open(path, offset);
        while (reader.TryReadLine(out var line, out var lineOffset))
        {
            if (parser.TryParse(line, out var trade, out var error))
            {
                onTrade(trade!, lineOffset);
            }
            else
            {
                onIssue?.Invoke(new LineIssue(path, lineOffset, error!));
            }
        }

        return reader.Offset;
    }

    /// <summary>All parsable trades of a file (tests and tools; not for whole-day hot paths).</summary>
    public static List<RawTrade> ReadAll(string path, List<LineIssue>? issues = null)
    {
        var trades = new List<RawTrade>();
        Read(path, 0, (t, _) => trades.Add(t), issues is null ? null : issues.Add);
        return trades;
    }
}
