using Pipeline.Simulator;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>The <c>endpoints:</c> section of a pipeline.yaml that points every venue at a running simulator.</summary>
internal static class SimEndpointsYaml
{
    /// <summary>The section at column 0, its keys indented by two spaces; interpolate it on a line of its own.</summary>
    public static string For(SimulatorHost sim) => $"""
        endpoints:
          okxWsPublic: {sim.Endpoints.OkxWsPublic}
          okxWsBusiness: {sim.Endpoints.OkxWsBusiness}
          okxRest: {SimulatorEndpoints.Text(sim.Endpoints.OkxRest)}
          binanceWs: {SimulatorEndpoints.Text(sim.Endpoints.BinanceWs)}
          binanceRest: {SimulatorEndpoints.Text(sim.Endpoints.BinanceRest)}
        """;
}
