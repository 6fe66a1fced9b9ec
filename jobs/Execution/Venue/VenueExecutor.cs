using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>The strategy traded through an <see cref="IOrderVenue"/> (live exchange or paper). Work in progress.</summary>
public sealed class VenueExecutor : IAsyncDisposable
{
    private readonly VaultLayout _vault;
    private readonly StrategyConfig _config;
    private readonly IOrderVenue _venue;
    private readonly TimeProvider _time;
    private readonly VenueExecutorOptions _options;

    public VenueExecutor(VaultLayout vault, StrategyConfig config, IOrderVenue venue, TimeProvider time, VenueExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(time);
        _vault = vault;
        _config = config;
        _venue = venue;
        _time = time;
        _options = options ?? new VenueExecutorOptions();
        Status = new VenueExecutorStatus(config.Id, venue.Venue, 0, 0, 0, 0m, 0m, 0m, 0m, null, null, null, []);
    }

    public VenueExecutorStatus Status { get; private set; }

    public Task StartAsync(CancellationToken ct) => throw new NotImplementedException(_vault.Root + _time + _options);

    public Task<VenueStepResult> StepAsync(CancellationToken ct) => throw new NotImplementedException(_config.Id + _venue.Venue);

    public Task RunAsync(CancellationToken ct) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
