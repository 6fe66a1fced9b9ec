using System.Text.Json;
using Pipeline.Jobs.Hosting;
using Pipeline.Testing;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// <c>pipeline run</c> / <c>pipeline schedule</c> as a real child process (the pipeline.dll next to
/// the tests), stopped by a real SIGTERM/SIGINT: it must drain and exit 0, with the host state file
/// saying "stopped".
/// </summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [UnixTheory("POSIX signals; Windows services stop through the SCM instead")]
    [InlineData("run", PipelineProcess.SigTerm)]
    [InlineData("schedule", PipelineProcess.SigInt)]
    public async Task Host_Signal_DrainsAndExitsZero(string mode, int signal)
    {
        var config = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(config, """
            exchanges:
              okx: { enabled: false }
              binance: { enabled: false }
            schedule:
              heartbeat: "* * * * * ?"
            """);
        var vault = _dir.File("vault");
        var statePath = HostStateService.PathFor(vault, mode == "run" ? HostMode.Run : HostMode.Schedule);

        using var process = PipelineProcess.Start([mode, "--config", config, "--vault", vault], workingDirectory: _dir.Path, environment: null);

        // Up and scheduling: the heartbeat job has written the state file at least twice.
        await process.WaitWhileRunningAsync(() => File.Exists(statePath) && Beats(statePath) >= 2, "two heartbeats in the host state file");
        process.Signal(signal);
        var code = await process.WaitForExitAsync(PipelineProcess.DefaultBound);

        Assert.True(code == 0, process.Describe());
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(statePath));
        Assert.Equal("stopped", state.RootElement.GetProperty("status").GetString());
        Assert.Equal(mode, state.RootElement.GetProperty("mode").GetString());
        Assert.Equal(process.Id, state.RootElement.GetProperty("pid").GetInt32());
        Assert.Contains($"Host {mode} stopped cleanly", process.Stderr, StringComparison.Ordinal);
        // The same lines went to the vault's log file.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(vault, "logs"), "pipeline-*.log"));
    }

    private static long Beats(string statePath)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(statePath));
            return state.RootElement.GetProperty("jobs").TryGetProperty("heartbeat", out var beat)
                ? beat.GetProperty("runs").GetInt64()
                : 0;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return 0; // between the atomic rename and our read on some file systems
        }
    }
}
