using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Backtest;

/// <summary>One backtest of one strategy configuration on one instrument: what the engine did and the results.</summary>
public sealed record BacktestRun
{
    public required StrategyConfig Config { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }

    /// <summary>Sweep values applied to the strategy file (name → value as written), empty for a single run.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    public required PerformanceReport Report { get; init; }

    /// <summary>Every order, fill, position event (and signal when kept).</summary>
    public required RecordingSink Sink { get; init; }

    /// <summary>
    /// What the input could not give exactly (a CSV backtest: which outputs are approximated and how), one
    /// line each; empty for a vault backtest.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Minutes the calculators emitted in range (a minute without trades is still emitted, carrying the last close).</summary>
    public int Minutes { get; init; }

    /// <summary>Minutes in which at least one trade was replayed: what "minutes replayed" reports.</summary>
    public int MinutesWithData { get; init; }

    /// <summary>The minutes for the price chart (close, VWAP, the strategy's bands).</summary>
    public IReadOnlyList<ChartMinute> Series { get; init; } = [];
    public long Trades { get; init; }
    public long BadLines { get; init; }
    public long LateTrades { get; init; }
    public TimeSpan CalculatorTime { get; init; }

    /// <summary>Fill rate, expectancy, losing streak, long/short split and the Sharpe sample size.</summary>
    public TradeStats Stats => _stats ??= TradeStats.From(Report.Trades, Sink.Orders);

    private TradeStats? _stats;
    public TimeSpan Elapsed { get; init; }
}
