using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// The <see cref="ContractTerms"/> of an instrument from its raw trades: the contract facts of the first
/// valid line of its newest raw day (JSONL or compacted Parquet), which is what the exporter last recorded.
/// </summary>
public static class ContractTermsReader
{
    /// <summary>The terms, or null when the vault holds no valid raw trade of the instrument.</summary>
    public static ContractTerms? Read(VaultLayout vault, string exchange, string instId, DateOnly? onOrBefore = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var exchangeUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.Exchange(exchange));
        var instIdUtf8 = System.Text.Encoding.ASCII.GetBytes(VaultNames.InstId(instId));
        foreach (var day in vault.RawDays(exchange, instId).Where(d => onOrBefore is null || d <= onOrBefore).Reverse())
        {
            var parquet = vault.RawDayParquet(exchange, instId, day);
            if (File.Exists(parquet))
            {
                using var db = DuckDbConnection.OpenInMemory();
                using var rows = db.Scan(
                    "SELECT CAST(ctType AS VARCHAR), CAST(ctVal AS VARCHAR), CAST(ctMult AS VARCHAR), CAST(ctValCcy AS VARCHAR) FROM read_parquet(?) WHERE ctType IS NOT NULL AND ctVal IS NOT NULL AND ctMult IS NOT NULL AND ctValCcy IS NOT NULL LIMIT 1",
                    parquet);
                if (rows.Read())
                {
                    return ContractTerms.FromRaw(instId, rows.GetString(0), rows.GetString(1), rows.GetString(2), rows.GetString(3));
                }

                continue;
            }

            var jsonl = vault.RawDayJsonl(exchange, instId, day);
            if (!File.Exists(jsonl))
            {
                continue;
            }

            using var reader = JsonlReader.Open(jsonl);
            var parser = new RawTradeParser();
            while (reader.TryReadLine(out var line, out _))
            {
                if (parser.TryParse(line, exchangeUtf8, instIdUtf8, out var trade, out _, out _))
                {
                    return ContractTerms.FromRaw(trade!);
                }
            }
        }

        return null;
    }

    /// <summary><paramref name="config"/> with its contract read from the vault (unchanged when it already has one or the vault has no trade).</summary>
    public static Strategies.StrategyConfig WithContract(this Strategies.StrategyConfig config, VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Contract is not null ? config
            : Read(vault, config.Exchange, config.InstId) is { } terms ? config with { Contract = terms }
            : config;
    }
}
