using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Trading;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// The one place where the real parts are plugged into the host. Register here:
/// <list type="bullet">
/// <item><see cref="ICalculatorPass"/> (calculators job, on schedule.calculators),</item>
/// <item><see cref="ISignalPass"/> (signal job, after each successful calculator pass),</item>
/// <item><see cref="IInstrumentMetadataRefresh"/> (metadata job, on schedule.metadata),</item>
/// <item><see cref="ICompactionPass"/> (compaction job, on schedule.compaction),</item>
/// <item><see cref="IExporterFactory"/> (one exporter hosted service per enabled exchange, <c>pipeline run</c> only),</item>
/// <item><see cref="LiveTrading"/> and one <see cref="LiveExecutorService"/> per live strategy (<c>pipeline run</c> only).</item>
/// </list>
/// A pass that is not registered leaves its job unscheduled with a warning at start.
/// </summary>
public static class HostComposition
{
    public static void AddPipelineServices(IServiceCollection services, PipelineConfig config) =>
        AddPipelineServices(services, config, null);

    /// <param name="live">The strategies cleared for live trading (<see cref="LivePlan.Decide"/>); null or empty: paper only.</param>
    public static void AddPipelineServices(IServiceCollection services, PipelineConfig config, LiveTrading? live)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<ICalculatorPass, Calc.CalculatorPass>();
        // The paper executor takes the paper strategies only; the live ones have their own executors below.
        services.AddSingleton<ISignalPass>(sp => new Signal.SignalPass(
            sp.GetRequiredService<Pipeline.Vault.Layout.VaultLayout>(), config, sp.GetRequiredService<TimeProvider>()));
        AddLiveTrading(services, config, live);
        services.AddSingleton<IInstrumentMetadataRefresh, Export.InstrumentMetadataRefresh>();
        services.AddSingleton<IExporterFactory, Export.ExporterFactory>();
        services.AddSingleton<ICompactionPass, Compact.VaultCompactionPass>();
    }

    /// <summary>
    /// <see cref="LiveTrading"/> (read by /health and /metrics) and one hosted <see cref="LiveExecutorService"/> per live
    /// strategy; <paramref name="venues"/> replaces <see cref="OrderVenueFactory"/> in tests.
    /// </summary>
    public static void AddLiveTrading(IServiceCollection services, PipelineConfig config, LiveTrading? live,
        Func<LiveStrategy, IOrderVenue>? venues = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        if (live is null || live.Runs.Count == 0)
        {
            return;
        }

        services.AddSingleton(live);
        foreach (var run in live.Runs)
        {
            services.AddSingleton<IHostedService>(sp => new LiveExecutorService(run, live, sp.GetRequiredService<VaultLayout>(), config.Trading,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IHostApplicationLifetime>(), venues));
        }
    }
}
