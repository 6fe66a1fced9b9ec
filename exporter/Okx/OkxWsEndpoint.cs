namespace Pipeline.Exporter.Okx;

/// <summary>The OKX v5 WebSocket endpoints a public channel may live on.</summary>
public enum OkxWsEndpoint
{
    /// <summary><c>wss://ws.okx.com:8443/ws/v5/public</c> (<see cref="ExporterOptions.OkxWsPublic"/>).</summary>
    Public,

    /// <summary><c>wss://ws.okx.com:8443/ws/v5/business</c> (<see cref="ExporterOptions.OkxWsBusiness"/>).</summary>
    Business,
}
