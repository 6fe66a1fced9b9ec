using Pipeline.Exporter.Micro;

namespace Pipeline.Jobs.Config;

/// <summary>One exchange's part of the configuration: whether it is recorded and which perpetual swaps.</summary>
/// <param name="Name">okx or binance (the vault's exchange name).</param>
/// <param name="Enabled">Whether the exporter records it (and calculators cover it).</param>
/// <param name="Instruments">The exchange's own instrument ids, validated against the vault's instId rule.</param>
/// <param name="Channel">OKX only: trades-all (one message per fill, default) or trades (aggregated); null for Binance.</param>
public sealed record ExchangeConfig(string Name, bool Enabled, IReadOnlyList<string> Instruments, string? Channel)
{
    /// <summary>What the exporter records (<c>exchanges.X.data: [trades, quotes, book, liquidations, derivatives]</c>); default trades.</summary>
    public ExportData Data { get; init; } = ExportData.Default;
}
