using Pipeline.Jobs.Execution;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>
/// CSV files turned into raw trade days of a scratch vault (never the user's vault), ready for
/// <see cref="Backtester"/>: the same calculators, strategy and paper engine as a vault backtest.
/// </summary>
public sealed record CsvImport
{
    public required VaultLayout Vault { get; init; }
    public required CsvKind Kind { get; init; }
    public required DateOnly FirstDay { get; init; }
    public required DateOnly LastDay { get; init; }

    /// <summary>Data rows read (bars or ticks).</summary>
    public required long Rows { get; init; }

    /// <summary>Raw trades written (ticks one each; bars four each, none for a bar without volume).</summary>
    public required long Trades { get; init; }

    /// <summary>How the instrument is valued: linear, or inverse when its quote currency is USD (BTC-USD-SWAP).</summary>
    public required ContractTerms Contract { get; init; }

    /// <summary>What this input can and cannot compute exactly, one line each (printed and written to the report).</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
