using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;
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
        foreach (var exchange in config.EnabledExchanges)
        {
            var venue = VenueRegistry.For(exchange.Name);
            using var rest = ResilientHttp.Rest(venue, time, log: null, venue.Defaults.RefreshRetries, venue.Defaults.RefreshMaxRetryDelay);
            var options = ExporterFactory.Options(exchange, config.Endpoints);
            var snapshot = await new InstrumentCatalog(options, vault, rest, time).RefreshAsync(cancellationToken);
            exchanges++;
            instruments += snapshot.Instruments.Count;
        }

        return new MetadataRefreshResult(exchanges, instruments);
    }
}
