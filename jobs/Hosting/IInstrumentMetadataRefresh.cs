namespace Pipeline.Jobs.Hosting;

/// <summary>Refreshes meta/{exchange}/instruments/SWAP.json for the enabled exchanges (hourly by default).</summary>
public interface IInstrumentMetadataRefresh
{
    Task<MetadataRefreshResult> RunAsync(CancellationToken cancellationToken);
}
