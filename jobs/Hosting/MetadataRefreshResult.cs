namespace Pipeline.Jobs.Hosting;

/// <summary>What an instrument metadata refresh did.</summary>
public sealed record MetadataRefreshResult(int Exchanges, int Instruments);
