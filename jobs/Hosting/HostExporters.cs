using Microsoft.Extensions.Hosting;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// The exporters this host runs, by exchange, as the factory made them: what /health and /metrics read
/// (their counters, at request time). Filled when the host creates its hosted services.
/// </summary>
public sealed class HostExporters
{
    private readonly Lock _gate = new();
    private readonly List<(string Exchange, IHostedService Service)> _exporters = [];

    public void Add(string exchange, IHostedService service)
    {
        lock (_gate)
        {
            _exporters.Add((exchange, service));
        }
    }

    public IReadOnlyList<(string Exchange, IHostedService Service)> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _exporters];
            }
        }
    }
}
