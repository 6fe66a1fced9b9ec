using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// An in-memory paper run (backtest, demo): a fresh strategy and engine recording into memory, no
/// disk state; the strategy's risk limits (<see cref="StrategyConfig.Risk"/>) act through a fresh <see cref="RiskGate"/>
/// (or the one given). Feed it with <see cref="PaperTradingEngine.OnTrade"/> and
/// <see cref="PaperTradingEngine.OnMinute"/> (or <see cref="EngineFeed.Run"/>), then read the report.
/// </summary>
public sealed class PaperRun
{
    public PaperRun(StrategyConfig config, bool keepSignals = true, RiskGate? risk = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Sink = new RecordingSink { KeepSignals = keepSignals };
        Risk = risk ?? new RiskGate(config.Id, config.Risk, instId: config.InstId);
        Engine = new PaperTradingEngine(config, config.CreateStrategy(), Sink, risk: Risk);
    }

    public StrategyConfig Config { get; }
    public RecordingSink Sink { get; }
    public PaperTradingEngine Engine { get; }
    public RiskGate Risk { get; }

    /// <summary>Results so far; a position still open is reported in <see cref="PerformanceReport.OpenPositions"/>.</summary>
    public PerformanceReport Report() => PerformanceReport.FromFills(Sink.Fills);
}
