using Pipeline.Jobs.Config;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Hosting;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Signal;

/// <summary>The signal/executor job: one live pass of every configured strategy over the minutes that are final.</summary>
public sealed class SignalPass(VaultLayout vault, IReadOnlyList<StrategyConfig> strategies, TimeProvider time) : ISignalPass
{
    private readonly ILogger _log = Log.ForContext<SignalPass>();

    /// <summary>The configuration's paper strategies (those with <c>mode: live</c> run in their own live executors).</summary>
    public SignalPass(VaultLayout vault, PipelineConfig config, TimeProvider time)
        : this(vault, [.. LoadStrategies(config.Strategies).Where(s => s.Mode == Trading.TradingMode.Paper)], time)
    {
    }

    public IReadOnlyList<StrategyConfig> Strategies { get; } = strategies;

    public static IReadOnlyList<StrategyConfig> LoadStrategies(IEnumerable<string> files)
    {
        var registry = StrategyRegistry.CreateDefault();
        return files.Select(registry.Load).ToList();
    }

    public Task<SignalPassResult> RunAsync(CancellationToken cancellationToken) =>
        Task.Run(() => Run(cancellationToken), cancellationToken);

    public IReadOnlyList<(StrategyConfig Strategy, LivePassResult Result)> RunEach(CancellationToken token)
    {
        var results = new List<(StrategyConfig, LivePassResult)>();
        foreach (var strategy in Strategies)
        {
            token.ThrowIfCancellationRequested();
            var result = new LiveExecutor(vault, strategy, time).RunToEnd(null, token);
            _log.Information("Strategy {Strategy} on {Exchange} {InstId}: {Minutes} minutes, {Orders} orders, {Fills} fills",
                strategy.Id, strategy.Exchange, strategy.InstId, result.Minutes, result.Orders, result.Fills);
            results.Add((strategy, result));
        }

        return results;
    }

    private SignalPassResult Run(CancellationToken token)
    {
        var results = RunEach(token);
        return new SignalPassResult(results.Count, results.Sum(r => (long)r.Result.Minutes), results.Sum(r => (long)r.Result.Orders));
    }
}
