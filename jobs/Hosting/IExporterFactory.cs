using Microsoft.Extensions.Hosting;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// Creates the exporter of one exchange as a hosted service (<c>pipeline run</c> only). StopAsync of
/// the service must drain its writers and fsync before it returns.
/// </summary>
public interface IExporterFactory
{
    /// <summary>Called once per enabled exchange with at least one instrument.</summary>
    IHostedService Create(ExchangeConfig exchange, PipelineConfig config);
}
