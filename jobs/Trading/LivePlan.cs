using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Trading;

/// <summary>
/// Which of a run's strategies trade live: each strategy with <c>mode: live</c> passes the <see cref="LiveModeGate"/>
/// (confirmation and keys, else a one-line usage error) before anything starts; paper strategies stay with the paper executor.
/// </summary>
public static class LivePlan
{
    /// <param name="strategies">The run's strategies (paper and live).</param>
    /// <param name="trading">The configuration's <c>trading:</c> section (endpoints, credentials file).</param>
    /// <param name="confirmFlag">Whether <c>--confirm-live</c> was given.</param>
    /// <param name="environment">The environment (confirmation and credential variables).</param>
    public static IReadOnlyList<LiveStrategy> Decide(IReadOnlyList<StrategyConfig> strategies, TradingConfig trading, bool confirmFlag,
        Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(trading);
        ArgumentNullException.ThrowIfNull(environment);
        var live = strategies.Where(s => s.Mode == TradingMode.Live).ToList();
        if (live.Count == 0)
        {
            if (confirmFlag)
            {
                // The flag is typed for this run: with nothing to confirm it is a mistake to report, not to ignore.
                throw new UsageException(strategies.Count == 0
                    ? $"{LiveModeGate.ConfirmFlag} given, but no strategy is configured (strategies: in the configuration)"
                    : $"{LiveModeGate.ConfirmFlag} given, but no strategy is configured for live trading (mode: live in its file); {string.Join(", ", strategies.Select(s => s.Id))} trade on paper");
            }

            return [];
        }

        var instruments = live.GroupBy(s => (s.Exchange, s.InstId)).FirstOrDefault(g => g.Count() > 1);
        if (instruments is not null)
        {
            // One account, one net position per instrument: two strategies would trade each other's position.
            throw new UsageException(
                $"strategies {string.Join(" and ", instruments.Select(s => s.Id))} both trade {instruments.Key.InstId} on {instruments.Key.Exchange} live; one account holds one position per instrument, so give each its own instrument or put one on paper");
        }

        return live.Select(s =>
        {
            var target = OrderVenueFactory.Target(s, trading);
            return new LiveStrategy(s, target, LiveModeGate.Decide(TradingMode.Live, confirmFlag, environment, target, s.Id, trading.CredentialsFile));
        }).ToList();
    }

    /// <summary>
    /// The one-line refusal of a command that only trades on paper (<c>pipeline signal</c>, <c>pipeline schedule</c>)
    /// when a strategy is configured live, or null when every strategy is paper.
    /// </summary>
    public static string? PaperOnlyRefusal(IEnumerable<StrategyConfig> strategies, string command)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var live = strategies.Where(s => s.Mode == TradingMode.Live).Select(s => s.Id).ToList();
        return live.Count == 0
            ? null
            : $"{(live.Count == 1 ? "strategy" : "strategies")} {string.Join(", ", live)} {(live.Count == 1 ? "is" : "are")} configured for live trading (mode: live): live strategies trade under `pipeline run {LiveModeGate.ConfirmFlag}`, not `pipeline {command}`";
    }
}
