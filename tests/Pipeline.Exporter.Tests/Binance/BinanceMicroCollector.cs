using Pipeline.Exporter.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary>Collects what the Binance microstructure parser emits, in order.</summary>
internal sealed class BinanceMicroCollector : IMicroSink
{
    public List<QuoteRecord> Quotes { get; } = [];
    public List<BookRecord> Books { get; } = [];
    public List<LiquidationRecord> Liquidations { get; } = [];
    public List<DerivativesRecord> DerivativeRecords { get; } = [];

    public int Count => Quotes.Count + Books.Count + Liquidations.Count + DerivativeRecords.Count;

    public void Quote(QuoteRecord quote) => Quotes.Add(quote);

    public void Book(BookRecord book) => Books.Add(book);

    public void Liquidation(LiquidationRecord liquidation) => Liquidations.Add(liquidation);

    public void Derivatives(DerivativesRecord derivatives) => DerivativeRecords.Add(derivatives);
}
