using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Trading;

namespace Pipeline.Jobs.Strategies;

/// <summary>
/// A loaded strategy file: which strategy (registry name), the instance id used for the ledger,
/// state and signal paths, the instrument, the execution settings and the strategy's own
/// parameters. <see cref="CreateStrategy"/> makes a fresh (stateful) strategy instance.
/// </summary>
public sealed record StrategyConfig
{
    /// <summary>Instance id: names derived/signals/{id}, ledger/{id}, state/executor/{id}.json.</summary>
    public required string Id { get; init; }

    /// <summary>Registry name, e.g. "vwap_mean_reversion".</summary>
    public required string Strategy { get; init; }

    public required string Exchange { get; init; }
    public required string InstId { get; init; }
    public required ExecutionSettings Execution { get; init; }

    /// <summary>
    /// <c>mode:</c> paper (the default: the paper executor simulates fills) or live (orders go to the exchange, only under
    /// <c>pipeline run --confirm-live</c>; see jobs/Trading/LiveModeGate).
    /// </summary>
    public TradingMode Mode { get; init; } = TradingMode.Paper;

    /// <summary>The hard limits the executor's <see cref="RiskGate"/> enforces (the file's <c>risk:</c> section).</summary>
    public RiskLimits Risk { get; init; } = RiskLimits.Default;

    /// <summary>The strategy's parameters (e.g. VwapMeanReversion.VwapMeanReversionParameters).</summary>
    public required object Parameters { get; init; }

    /// <summary>
    /// How the instrument's contract is valued (linear or inverse, currencies), read from the raw trades by
    /// whoever runs the strategy (<see cref="ContractTermsReader"/>); null: a linear contract in the
    /// instrument's quote currency.
    /// </summary>
    public ContractTerms? Contract { get; init; }

    /// <summary>
    /// The strategy reads the microstructure indicators (<see cref="MinuteInputs.Micro"/>, <see cref="MinuteInputs.KyleLambda"/>):
    /// the minute reader then joins them, and a backtest over a range without quotes or book fails (set by the registry).
    /// </summary>
    public bool UsesMicro { get; init; }

    /// <summary>Where it was read from ("(inline)" for configs built in code).</summary>
    public string Source { get; init; } = "(inline)";

    /// <summary>Makes a fresh strategy instance from this config (set by the registry).</summary>
    public required Func<StrategyConfig, IStrategy> Factory { get; init; }

    public IStrategy CreateStrategy() => Factory(this);
}
