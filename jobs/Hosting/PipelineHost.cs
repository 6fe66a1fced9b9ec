using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Health;
using Pipeline.Vault.Layout;
using Quartz;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// Builds the long-running Generic Host: Serilog logging, the health endpoints and the host state file,
/// exporters (run mode) and the Quartz schedule, stopped in reverse order so jobs drain before exporters, and exporters
/// before the state file says "stopped".
/// </summary>
public static class PipelineHost
{
    /// <param name="compose">
    /// Registers the passes and the exporter factory: <see cref="HostComposition.AddPipelineServices"/>
    /// for the CLI, test doubles in tests.
    /// </param>
    public static IHost Build(PipelineConfig config, HostMode mode, Action<IServiceCollection, PipelineConfig> compose)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(compose);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "pipeline",
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog();

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Schedule.DrainTimeout);
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(config);
        services.AddSingleton(new VaultLayout(config.Vault));
        services.AddSingleton<JobStats>();
        services.AddSingleton<HostExporters>();
        var health = mode == HostMode.Run && config.Health.Address is not null;
        if (health)
        {
            AddHealth(services, config);
        }

        services.AddSingleton(sp => new HostStateService(config, mode, sp.GetRequiredService<JobStats>(), sp.GetRequiredService<TimeProvider>())
        {
            HealthUrl = () => sp.GetService<HealthServer>()?.Url,
        });
        services.AddHostedService(sp => sp.GetRequiredService<HostStateService>());

        compose(services, config);

        if (mode == HostMode.Run)
        {
            AddExporters(services, config);
        }

        IReadOnlyList<string> scheduled = [];
        services.AddQuartz(q =>
        {
            // A unique name per host: tests run several hosts in one process.
            q.ConfigureScheduler(o => o.InstanceName = $"pipeline-{mode.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}");
            scheduled = HostJobs.Configure(q, services, config.Schedule);
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true; // drain on stop
            o.AwaitApplicationStarted = true;
        });

        var host = builder.Build();
        if (health)
        {
            try
            {
                // Bound now, not at start: a port in use is one clear line (exit 1) before anything starts, and the
                // container owns the listener, so disposing the host frees the port.
                host.Services.GetRequiredService<HealthServer>();
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }

        Log.Information("Host {Mode}: vault {Vault}, config {Config}, jobs {Jobs}, calculators cron {Cron}",
            mode.ToString().ToLowerInvariant(), config.Vault, config.SourceFile ?? "(built-in defaults)", scheduled, config.Schedule.Calculators);
        var calc = config.Calculators;
        Log.Information(
            "Calculators: lateness {Lateness}, session hour {SessionHour}, ADX period {AdxPeriod}, bands {Bands}, OFI window {OfiWindowMinutes} min, VPIN bucket {VpinBucket} x {VpinBuckets}, depth band {DepthBps} bps, Kyle window {KyleWindow} bars",
            calc.Lateness, calc.SessionHour, calc.AdxPeriod, calc.Bands, calc.OfiWindowMinutes, calc.VpinBucket, calc.VpinBuckets, calc.DepthBps, calc.KyleWindow);
        if (config.Schedule.AllowFastSchedule)
        {
            Log.Warning("schedule.allowFastSchedule is on: the calculators cron is not held to 1–5 minutes (tests and demos only)");
        }

        if (CalculatorSchedule.LateMinutesWarning(config.Schedule.Calculators, config.Calculators.Lateness) is { } late)
        {
            Log.Warning("Calculators schedule: {Problem}", late);
        }

        return host;
    }

    private static void AddExporters(IServiceCollection services, PipelineConfig config)
    {
        var enabled = config.EnabledExchanges.ToList();
        if (enabled.Count == 0)
        {
            Log.Warning("No exchange is enabled with instruments: this host records nothing (exchanges.*.enabled / instruments)");
            return;
        }

        if (!services.Any(d => d.ServiceType == typeof(IExporterFactory)))
        {
            throw new InvalidOperationException(
                $"exchanges {string.Join(", ", enabled.Select(e => e.Name))} are enabled but this build has no exporter wired (IExporterFactory in HostComposition.AddPipelineServices); disable them or use 'pipeline schedule'");
        }

        foreach (var exchange in enabled)
        {
            services.AddSingleton<IHostedService>(sp =>
            {
                var exporter = sp.GetRequiredService<IExporterFactory>().Create(exchange, config);
                sp.GetRequiredService<HostExporters>().Add(exchange.Name, exporter);
                return exporter;
            });
        }
    }

    /// <summary>
    /// /health and /metrics (jobs/Health), registered before the state service, which names their URL. The listener
    /// binds when <see cref="Build"/> resolves the server, after everything else is checked.
    /// </summary>
    private static void AddHealth(IServiceCollection services, PipelineConfig config)
    {
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new HealthProbe(config, sp.GetRequiredService<VaultLayout>(), sp.GetRequiredService<HostExporters>(),
            sp.GetRequiredService<JobStats>(), StrategyIds(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<Trading.LiveTrading>()));
        services.AddSingleton(sp => new HealthServer(HealthListener.Bind(config.Health.Address!), sp.GetRequiredService<HealthProbe>(),
            sp.GetRequiredService<PipelineMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<HealthServer>());
    }

    private static IReadOnlyList<string> StrategyIds(IServiceProvider services) =>
        services.GetService<ISignalPass>() is Signal.SignalPass pass ? [.. pass.Strategies.Select(s => s.Id)] : [];
}
