using Microsoft.Extensions.Hosting;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>An exporter stand-in that records start and stop per exchange, so the stop order can be checked.</summary>
internal sealed class RecordingExporterFactory(EventFile events) : IExporterFactory
{
    public IHostedService Create(ExchangeConfig exchange, PipelineConfig config) => new RecordingExporter(events, exchange.Name, exchange.Instruments);

    private sealed class RecordingExporter(EventFile events, string exchange, IReadOnlyList<string> instruments) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            events.Append($"exporter {exchange} start {string.Join(",", instruments)}");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            events.Append($"exporter {exchange} stop");
            return Task.CompletedTask;
        }
    }
}
