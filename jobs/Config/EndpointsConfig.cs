namespace Pipeline.Jobs.Config;

/// <summary>Exchange endpoints; production by default, loopback simulator URLs in tests and demos.</summary>
public sealed record EndpointsConfig(Uri OkxWsPublic, Uri OkxWsBusiness, Uri OkxRest, Uri BinanceWs, Uri BinanceRest)
{
    public static EndpointsConfig Production { get; } = new(
        new Uri("wss://ws.okx.com:8443/ws/v5/public"),
        new Uri("wss://ws.okx.com:8443/ws/v5/business"),
        new Uri("https://www.okx.com"),
        new Uri("wss://fstream.binance.com"),
        new Uri("https://fapi.binance.com"));
}
