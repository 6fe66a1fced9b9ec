using Microsoft.Extensions.Hosting;
using Pipeline.Exporter;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Export;

/// <summary>One exchange's exporter inside the host; stopping it drains the writers and fsyncs.</summary>
public sealed class ExporterHostedService(ExporterOptions options, VaultLayout vault, TimeProvider time) : BackgroundService
{
    public ExporterService Service { get; } = new(options, vault, time);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Service.RunAsync(stoppingToken);
}
