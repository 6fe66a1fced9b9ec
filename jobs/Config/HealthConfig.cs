using System.Net;

namespace Pipeline.Jobs.Config;

/// <summary>The health and metrics endpoints of <c>pipeline run</c> (<c>/health</c>, <c>/metrics</c>).</summary>
/// <param name="Address">Where to listen (loopback by default; port 0 picks a free port); null when switched off.</param>
/// <param name="MaxLag">How far an instrument's trade watermark may trail the clock before /health reports not ready.</param>
public sealed record HealthConfig(IPEndPoint? Address, TimeSpan MaxLag)
{
    public const string DefaultAddress = "127.0.0.1:9464";

    public static readonly TimeSpan DefaultMaxLag = TimeSpan.FromSeconds(120);

    public static HealthConfig Off { get; } = new(null, DefaultMaxLag);
}
