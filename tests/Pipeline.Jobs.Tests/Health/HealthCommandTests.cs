using System.Net;
using System.Net.Sockets;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>The CLI side of the health endpoints: a bad address is a usage error, a port in use a clear runtime failure.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string address)
    {
        var config = _dir.File("pipeline.yaml");
        File.WriteAllText(config, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx: {"{"} enabled: false {"}"}
              binance: {"{"} enabled: false {"}"}
            health:
              address: "{address}"
            """);
        return config;
    }

    [Fact]
    public async Task Run_BadHealthAddress_ExitsTwoWithOneLineNamingTheKey()
    {
        var (code, _, error) = await CliRunner.RunAsync("run", "--config", Config("localhost"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("health.address: 'localhost' is not an address to listen on", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_HealthPortInUse_ExitsOneWithOneLineNamingTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = CliRunner.RunAsync("run", "--config", Config($"127.0.0.1:{port}"));
        // Bounded: were the port not refused, the host would run until stopped.
        await Waits.UntilAsync(() => run.IsCompleted, PipelineProcess.DefaultBound, "run to fail on the taken port");
        var (code, _, error) = await run;
        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"error: health.address 127.0.0.1:{port}: cannot listen", error, StringComparison.Ordinal);
        Assert.Contains("set health.address to a free port", error, StringComparison.Ordinal);
        // Nothing started: no state file claims a running host.
        Assert.False(File.Exists(Pipeline.Jobs.Hosting.HostStateService.PathFor(_dir.File("vault"), Pipeline.Jobs.Hosting.HostMode.Run)));
    }
}
