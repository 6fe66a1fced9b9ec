using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Rest;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Export;

/// <summary>The hourly metadata job: refreshes meta/{exchange}/instruments/SWAP.json for every enabled exchange.</summary>
public sealed class InstrumentMetadataRefresh(VaultLayout vault, PipelineConfig config, TimeProvider time) : IInstrumentMetadataRefresh
{
    public async Task<MetadataRefreshResult> RunAsync(CancellationToken cancellationToken)
    {
        var exchanges = 0;
        var instruments = 0;
        using var rest = new ExchangeRestClient(time);
        foreach (var exchange in config.EnabledExchanges)
        {
            var options = ExporterFactory.Options(exchange, config.Endpoints);
            var snapshot = await new InstrumentCatalog(options, vault, rest, time).RefreshAsync(cancellationToken);
            exchanges++;
            instruments += snapshot.Instruments.Count;
        }

        return new MetadataRefreshResult(exchanges, instruments);
    }
}
