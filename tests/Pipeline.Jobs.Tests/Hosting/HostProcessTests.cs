using System.Diagnostics;
using System.Text;
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
    [InlineData("run", PosixSignal.SigTerm)]
    [InlineData("schedule", PosixSignal.SigInt)]
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

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--vault");
        start.ArgumentList.Add(vault);
        start.Environment.Remove("PIPELINE_VAULT");
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            // Up and scheduling: the heartbeat job has written the state file at least twice.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(File.Exists(statePath) && await BeatsAsync(statePath) >= 2))
            {
                Assert.False(process.HasExited, "the host exited early: " + Err());
                Assert.True(DateTime.UtcNow < deadline, "no heartbeat within 60 s: " + Err());
                await Task.Delay(100);
            }

            PosixSignal.Send(process.Id, signal);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the host did not exit within 60 s of signal {signal}; its stderr so far:\n{Err()}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {Err()}");
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(statePath));
        Assert.Equal("stopped", state.RootElement.GetProperty("status").GetString());
        Assert.Equal(mode, state.RootElement.GetProperty("mode").GetString());
        Assert.Equal(process.Id, state.RootElement.GetProperty("pid").GetInt32());
        Assert.Contains($"Host {mode} stopped cleanly", Err(), StringComparison.Ordinal);
        // The same lines went to the vault's log file.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(vault, "logs"), "pipeline-*.log"));

        string Err()
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    private static async Task<long> BeatsAsync(string statePath)
    {
        try
        {
            using var state = JsonDocument.Parse(await File.ReadAllTextAsync(statePath));
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
