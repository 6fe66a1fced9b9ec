namespace Pipeline.Exporter.Okx.Trading;

/// <summary>
/// Where the OKX order venue trades: signed REST and the private WebSocket. <see cref="Demo"/> sends
/// <c>x-simulated-trading: 1</c> on every REST request (OKX demo trading; its WebSocket is a different host, so set
/// <see cref="PrivateWs"/> too). Defaults are production (exporter/Okx/PROTOCOL.md "Private API").
/// </summary>
public sealed record OkxVenueOptions
{
    public static readonly Uri ProductionRest = new("https://www.okx.com");
    public static readonly Uri ProductionPrivateWs = new("wss://ws.okx.com:8443/ws/v5/private");
    public static readonly Uri DemoPrivateWs = new("wss://wspap.okx.com:8443/ws/v5/private");

    public Uri Rest { get; init; } = ProductionRest;

    public Uri PrivateWs { get; init; } = ProductionPrivateWs;

    public bool Demo { get; init; }

    /// <summary>Trade mode of every order: "cross" (default) or "isolated" margin.</summary>
    public string TdMode { get; init; } = "cross";

    /// <summary>First wait before reconnecting a dropped private WebSocket (doubling, with jitter, up to a minute).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);
}
