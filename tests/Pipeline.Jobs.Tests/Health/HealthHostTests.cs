using System.Net;
using System.Net.Sockets;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Health;
using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>
/// The listener's lifetime in the host: bound when the run host is built, freed when it is disposed or its build
/// fails, so a host built in-process (tests, a restart in the same process) never holds the port of the next one.
/// </summary>
public sealed class HealthHostTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Config(int port, bool exchanges = false)
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx: {"{"} enabled: {(exchanges ? "true" : "false")} {"}"}
              binance: {"{"} enabled: false {"}"}
            health:
              address: 127.0.0.1:{port}
            """);
        return PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public void Build_RunHostDisposed_PortFreeForTheNextHost()
    {
        var port = FreePort();
        using (var first = PipelineHost.Build(Config(port), HostMode.Run, (_, _) => { }))
        {
            Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), first.Services.GetService(typeof(HealthServer)) is HealthServer s ? s.Url : null);
        }

        using var second = PipelineHost.Build(Config(port), HostMode.Run, (_, _) => { });
        Assert.NotNull(second.Services.GetService(typeof(HealthServer)));
    }

    [Fact]
    public void Build_FailsOnAnotherCheck_PortNotTaken()
    {
        var port = FreePort();
        // okx enabled with no exporter wired: the build fails, and must not leave the port bound.
        Assert.Throws<InvalidOperationException>(() => PipelineHost.Build(Config(port, exchanges: true), HostMode.Run, (_, _) => { }));
        using var listener = HealthListener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(port, listener.Url.Port);
    }

    [Fact]
    public void Build_ScheduleHost_ServesNoEndpoints()
    {
        using var host = PipelineHost.Build(Config(FreePort()), HostMode.Schedule, (_, _) => { });
        Assert.Null(host.Services.GetService(typeof(HealthServer)));
    }
}
