using Microsoft.Extensions.DependencyInjection;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// The one place where the real parts are plugged into the host. Register here:
/// <list type="bullet">
/// <item><see cref="ICalculatorPass"/> (calculators job, on schedule.calculators),</item>
/// <item><see cref="ISignalPass"/> (signal job, after each successful calculator pass),</item>
/// <item><see cref="IInstrumentMetadataRefresh"/> (metadata job, on schedule.metadata),</item>
/// <item><see cref="ICompactionPass"/> (compaction job, on schedule.compaction),</item>
/// <item><see cref="IExporterFactory"/> (one exporter hosted service per enabled exchange, <c>pipeline run</c> only).</item>
/// </list>
/// A pass that is not registered leaves its job unscheduled with a warning at start.
/// </summary>
public static class HostComposition
{
    public static void AddPipelineServices(IServiceCollection services, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<ICalculatorPass, Calc.CalculatorPass>();
        services.AddSingleton<ISignalPass>(sp => new Signal.SignalPass(
            sp.GetRequiredService<Pipeline.Vault.Layout.VaultLayout>(), config, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInstrumentMetadataRefresh, Export.InstrumentMetadataRefresh>();
        services.AddSingleton<IExporterFactory, Export.ExporterFactory>();
        services.AddSingleton<ICompactionPass, Compact.VaultCompactionPass>();
    }
}
