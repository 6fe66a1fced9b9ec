using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// An in-memory paper run (backtest, demo): a fresh strategy and engine recording into memory, no
/// disk state. Feed it with <see cref="PaperTradingEngine.OnTrade"/> and
/// <see cref="PaperTradingEngine.OnMinute"/> (or <see cref="EngineFeed.Run"/>), then read the report.
/// </summary>
public sealed class PaperRun
{
    public PaperRun(StrategyConfig config, bool keepSignals = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Sink = new RecordingSink { KeepSignals = keepSignals };
        Engine = new PaperTradingEngine(config, config.CreateStrategy(), Sink);
    }

    public StrategyConfig Config { get; }
    public RecordingSink Sink { get; }
    public PaperTradingEngine Engine { get; }

    /// <summary>Results so far; a position still open is reported in <see cref="PerformanceReport.OpenPositions"/>.</summary>
    public PerformanceReport Report() => PerformanceReport.FromFills(Sink.Fills);
}
