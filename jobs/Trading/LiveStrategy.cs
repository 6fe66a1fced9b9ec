using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Trading;

/// <summary>A strategy the <see cref="LiveModeGate"/> cleared for live trading: where it trades and with which credentials.</summary>
public sealed record LiveStrategy(StrategyConfig Strategy, LiveTarget Target, LiveModeDecision Decision);
