using System.Globalization;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Verify;

/// <summary>
/// Raw JSONL day files: every complete line parsed with <see cref="RawTradeParser"/> under <see cref="RawTradeRules"/>,
/// the rule the calculators and the executor apply too (a bad line, even one that is not UTF-8, is one problem at its
/// offset); a tail without '\n' is torn. Lines of another instrument are rows here: RawVerifier reports them as misplaced.
/// </summary>
public sealed class JsonlRawDayReader : IRawDayReader
{
    public bool CanRead(string path) => path.EndsWith(".jsonl", StringComparison.Ordinal);

    public void Read(string path, Action<VerifyRow> onRow, Action<VerifyProblem> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        ArgumentNullException.ThrowIfNull(onProblem);
        var parser = new RawTradeParser();
        long end;
        using (var reader = JsonlReader.Open(path))
        {
            while (reader.TryReadLine(out var line, out var offset))
            {
                if (!parser.TryParse(line, out var trade, out var error))
                {
                    onProblem(new VerifyProblem(false, offset, error ?? "unparsable"));
                    continue;
                }

                if (!long.TryParse(trade!.TradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    onProblem(new VerifyProblem(false, offset, "tradeId is not numeric"));
                    continue;
                }

                onRow(new VerifyRow(id, trade.Ts, trade.Count ?? 0, trade.Exchange, trade.InstId));
            }

            end = reader.Offset;
        }

        var length = new FileInfo(path).Length;
        if (length > end)
        {
            onProblem(new VerifyProblem(true, end, $"torn tail: {length - end} bytes without a newline"));
        }
    }
}
