namespace Pipeline.Jobs.Hosting;

/// <summary>What a signal/executor pass did.</summary>
public sealed record SignalPassResult(int Strategies, long Signals, long Orders);
