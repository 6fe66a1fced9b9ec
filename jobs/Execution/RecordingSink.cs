namespace Pipeline.Jobs.Execution;

/// <summary>Keeps every engine output in memory: the backtest's and the tests' sink.</summary>
public sealed class RecordingSink : IExecutionSink
{
    public List<SignalRecord> Signals { get; } = [];
    public List<OrderEvent> Orders { get; } = [];
    public List<FillEvent> Fills { get; } = [];
    public List<PositionEvent> Positions { get; } = [];

    /// <summary>Keep signal records (a long backtest may want only orders and fills).</summary>
    public bool KeepSignals { get; init; } = true;

    public void OnSignal(SignalRecord signal)
    {
        if (KeepSignals)
        {
            Signals.Add(signal);
        }
    }

    public void OnOrder(OrderEvent order) => Orders.Add(order);

    public void OnFill(FillEvent fill) => Fills.Add(fill);

    public void OnPosition(PositionEvent position) => Positions.Add(position);
}
