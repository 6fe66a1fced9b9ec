namespace Pipeline.Jobs.Execution;

/// <summary>Where the engine's output goes: the ledger writer (live), a recorder (backtest, tests), or both.</summary>
public interface IExecutionSink
{
    void OnSignal(SignalRecord signal);

    void OnOrder(OrderEvent order);

    void OnFill(FillEvent fill);

    void OnPosition(PositionEvent position);
}
