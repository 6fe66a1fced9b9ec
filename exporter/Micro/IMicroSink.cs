using Pipeline.Vault.Micro;

namespace Pipeline.Exporter.Micro;

/// <summary>Receives the microstructure records a venue's parser finds in one WebSocket frame or REST answer.</summary>
public interface IMicroSink
{
    void Quote(QuoteRecord quote);

    void Book(BookRecord book);

    void Liquidation(LiquidationRecord liquidation);

    void Derivatives(DerivativesRecord derivatives);
}
