using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Execution.Ledger;

/// <summary>Reads a strategy's ledger back (reports, demo).</summary>
public static class LedgerReader
{
    /// <summary>Every fill of ledger/{strategy}/fills.jsonl, in file order; empty when there is none.</summary>
    public static List<FillEvent> ReadFills(VaultLayout vault, string strategy)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var path = vault.LedgerFills(strategy);
        var fills = new List<FillEvent>();
        if (!File.Exists(path))
        {
            return fills;
        }

        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            try
            {
                fills.Add(LedgerJson.ReadFill(line));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}@{offset}: not a fill line ({ex.Message})", ex);
            }
        }

        return fills;
    }
}
