using Microsoft.Extensions.Hosting;
using Pipeline.Exporter;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Export;

/// <summary>Builds each configured exchange's exporter for <c>pipeline run</c>.</summary>
public sealed class ExporterFactory(VaultLayout vault, TimeProvider time) : IExporterFactory
{
    public IHostedService Create(ExchangeConfig exchange, PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(config);
        return new ExporterHostedService(Options(exchange, config.Endpoints, config.MaxEventTimeSkew), vault, time);
    }

    public static ExporterOptions Options(ExchangeConfig exchange, EndpointsConfig endpoints, TimeSpan? maxEventTimeSkew = null)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new ExporterOptions
        {
            Exchange = exchange.Name,
            InstIds = exchange.Instruments,
            Channel = exchange.Channel ?? "trades-all",
            Data = exchange.Data,
            OkxWsPublic = endpoints.OkxWsPublic,
            OkxWsBusiness = endpoints.OkxWsBusiness,
            OkxRest = endpoints.OkxRest,
            BinanceWs = endpoints.BinanceWs,
            BinanceRest = endpoints.BinanceRest,
            MaxEventTimeSkew = maxEventTimeSkew ?? TimeSpan.FromDays(1),
        };
        options.Validate();
        return options;
    }
}
