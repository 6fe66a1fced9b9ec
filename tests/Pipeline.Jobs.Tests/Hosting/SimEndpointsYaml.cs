using System.Globalization;
using Pipeline.Simulator;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// The <c>endpoints:</c> and <c>trading:</c> sections of a pipeline.yaml that point every venue, public and private, at a
/// running simulator (its private API answers only when it was started with accounts).
/// </summary>
internal static class SimEndpointsYaml
{
    /// <summary>
    /// Both sections at column 0, their keys indented by two spaces; interpolate it on a line of its own.
    /// <paramref name="pollMs"/> and <paramref name="credentialsFile"/> set trading.pollMs and trading.credentialsFile when given.
    /// </summary>
    public static string For(SimulatorHost sim, int? pollMs = null, string? credentialsFile = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        var extra = (pollMs is { } poll ? $"\n  pollMs: {poll.ToString(CultureInfo.InvariantCulture)}" : "")
            + (credentialsFile is { } file ? $"\n  credentialsFile: '{file}'" : "");
        return $"""
            endpoints:
              okxWsPublic: {sim.Endpoints.OkxWsPublic}
              okxWsBusiness: {sim.Endpoints.OkxWsBusiness}
              okxRest: {SimulatorEndpoints.Text(sim.Endpoints.OkxRest)}
              binanceWs: {SimulatorEndpoints.Text(sim.Endpoints.BinanceWs)}
              binanceRest: {SimulatorEndpoints.Text(sim.Endpoints.BinanceRest)}
            trading:
              binance:
                rest: {SimulatorEndpoints.Text(sim.Endpoints.BinanceRest)}
                userStream: {SimulatorEndpoints.Text(sim.Endpoints.BinanceWs)}
                testnet: true
              okx:
                rest: {SimulatorEndpoints.Text(sim.Endpoints.OkxRest)}
                privateWs: {SimulatorEndpoints.Text(OkxPrivateWs(sim))}
                demo: true
            """ + extra;
    }

    /// <summary>
    /// <c>vault:</c>, <c>exchanges:</c> recording <paramref name="instId"/>'s trades on OKX only, and <see cref="For"/>: the
    /// head of a pipeline.yaml for a run against the simulator; interpolate it on a line of its own at column 0.
    /// </summary>
    public static string OkxTrades(SimulatorHost sim, string vaultDir, string instId) => $$"""
        vault: {{vaultDir}}
        exchanges:
          okx: { enabled: true, instruments: [{{instId}}], channel: trades-all }
          binance: { enabled: false }
        {{For(sim)}}
        """;

    /// <summary>The simulator's OKX private WebSocket (ws://host:port/ws/v5/private).</summary>
    public static Uri OkxPrivateWs(SimulatorHost sim) => new(sim.Endpoints.OkxWsPublic, "/ws/v5/private");
}
