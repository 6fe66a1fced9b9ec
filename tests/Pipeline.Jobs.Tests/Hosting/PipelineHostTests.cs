using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>The real Generic Host and Quartz scheduler, in-process, with seconds-level crons and file-backed passes.</summary>
public sealed class PipelineHostTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly EventFile _events;

    public PipelineHostTests() => _events = new EventFile(_dir.File("events.log"));

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Config(string schedule, bool okx = false)
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx:
                enabled: {(okx ? "true" : "false")}
                instruments: [BTC-USDT-SWAP]
              binance:
                enabled: false
            schedule:
              allowFastSchedule: true
              heartbeat: "0 0 0 1 1 ?"
            {schedule}
            """);
        return PipelineConfigLoader.Load(file, new Dictionary<string, string>
        {
            // A run host serves /health: on a free port, never the machine's fixed 9464.
            ["PIPELINE_HEALTH__ADDRESS"] = "127.0.0.1:0",
        }, [], _dir.Path);
    }

    [Fact]
    public async Task Host_SecondsCron_ChainsSignalAfterEachSuccessfulCalcOnlyAndSurvivesAFailure()
    {
        var config = Config("""
              calculators: "* * * * * ?"
            """);
        using var host = PipelineHost.Build(config, HostMode.Schedule, (services, _) =>
        {
            services.AddSingleton<ICalculatorPass>(new FileCalculatorPass(_events, failOn: [2]));
            services.AddSingleton<ISignalPass>(new FileSignalPass(_events));
        });
        await host.StartAsync();
        await _events.WaitUntilAsync(lines => lines.Count(l => l.EndsWith(" ok", StringComparison.Ordinal) && l.StartsWith("calc", StringComparison.Ordinal)) >= 3
            && lines.Any(l => l == "signal after calc 4 ok"), "three successful calculator runs after the failing one and their signals");

        // The failing run did not stop the host.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await host.StopAsync();

        var lines = _events.Lines();
        Assert.DoesNotContain(lines, l => l.Contains("found no signal", StringComparison.Ordinal));
        Assert.Contains("calc 1 ok", lines);
        Assert.Contains("calc 2 fail", lines);
        Assert.Contains("calc 3 ok", lines);
        Assert.Contains("signal after calc 1 ok", lines);
        Assert.Contains("signal after calc 3 ok", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("signal after calc 2", StringComparison.Ordinal));
        // One signal per successful run, each right after it (calc waits for the previous success's signal).
        var okRuns = lines.Where(l => l.StartsWith("calc", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal)).ToList();
        var signals = lines.Where(l => l.StartsWith("signal", StringComparison.Ordinal)).ToList();
        Assert.True(signals.Count >= okRuns.Count - 1 && signals.Count <= okRuns.Count, string.Join("\n", lines));
        Assert.Equal(okRuns.Take(signals.Count).Select(l => "signal after " + l), signals);

        var stats = host.Services.GetRequiredService<JobStats>();
        Assert.Equal(1, stats.Get("calculators")!.Failures);
        Assert.True(stats.Get("calculators")!.Runs >= 4);
        Assert.Equal(0, stats.Get("signal")!.Failures);
    }

    [Fact]
    public async Task Host_CalcPassWithFailedInstrument_SkipsSignalAndCountsAsFailure()
    {
        var config = Config("""
              calculators: "* * * * * ?"
            """);
        using var host = PipelineHost.Build(config, HostMode.Schedule, (services, _) =>
        {
            services.AddSingleton<ICalculatorPass>(new FileCalculatorPass(_events, failOn: [], partialOn: [1]));
            services.AddSingleton<ISignalPass>(new FileSignalPass(_events));
        });
        await host.StartAsync();
        await _events.WaitUntilAsync(lines => lines.Contains("signal after calc 2 ok"), "the signal after the first clean calculator run");
        await host.StopAsync();

        var lines = _events.Lines();
        Assert.Equal("calc 1 partial", lines[0]);
        Assert.Equal("calc 2 ok", lines[1]);
        Assert.Equal("signal after calc 2 ok", lines[2]);
        Assert.Equal(1, host.Services.GetRequiredService<JobStats>().Get("calculators")!.Failures);
    }

    [Fact]
    public async Task Host_StopAsync_WaitsForTheRunningJobThenStopsExporters()
    {
        var config = Config("""
              compaction: "* * * * * ?"
            """, okx: true);
        var compaction = new SlowCompactionPass(_events);
        using var host = PipelineHost.Build(config, HostMode.Run, (services, _) =>
        {
            services.AddSingleton<ICompactionPass>(compaction);
            services.AddSingleton<IExporterFactory>(new RecordingExporterFactory(_events));
        });
        // The compaction run ends only once the stop has begun: the host must wait for it.
        using var released = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(compaction.Release);
        await host.StartAsync();
        await compaction.Started.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();

        var lines = _events.Lines();
        // Only the enabled exchange got an exporter, with its instruments.
        Assert.Equal("exporter okx start BTC-USDT-SWAP", lines[0]);
        Assert.DoesNotContain(lines, l => l.Contains("binance", StringComparison.Ordinal));
        // The job that was running when the stop came finished before the host returned, and before the exporter stopped.
        Assert.Equal(lines.Count(l => l == "compaction start"), lines.Count(l => l == "compaction end"));
        Assert.Equal("exporter okx stop", lines[^1]);
        Assert.Equal("compaction end", lines[^2]);

        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(HostStateService.PathFor(config.Vault, HostMode.Run)));
        Assert.Equal("stopped", state.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", state.RootElement.GetProperty("jobs").GetProperty("compaction").GetProperty("lastOutcome").GetString());
    }

    [Fact]
    public void Build_RunModeWithEnabledExchangeButNoExporter_FailsClearly()
    {
        var config = Config("", okx: true);
        var ex = Assert.Throws<InvalidOperationException>(() => PipelineHost.Build(config, HostMode.Run, (_, _) => { }));
        Assert.Contains("okx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IExporterFactory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_ScheduleModeWithEnabledExchange_StartsNoExporter()
    {
        var config = Config("""
              heartbeat: "* * * * * ?"
            """.Replace("heartbeat", "compaction", StringComparison.Ordinal), okx: true);
        var compaction = new SlowCompactionPass(_events);
        compaction.Release(); // runs straight through
        using var host = PipelineHost.Build(config, HostMode.Schedule, (services, _) =>
        {
            services.AddSingleton<ICompactionPass>(compaction);
            services.AddSingleton<IExporterFactory>(new RecordingExporterFactory(_events));
        });
        await host.StartAsync();
        await compaction.Started.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();
        Assert.DoesNotContain(_events.Lines(), l => l.StartsWith("exporter", StringComparison.Ordinal));
    }
}
