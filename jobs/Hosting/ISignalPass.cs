namespace Pipeline.Jobs.Hosting;

/// <summary>
/// One pass of the signal/executor over the configured strategies: reads the newest minute
/// outputs, writes signals, orders and fills (paper). Idempotent; runs after each successful
/// calculator pass.
/// </summary>
public interface ISignalPass
{
    Task<SignalPassResult> RunAsync(CancellationToken cancellationToken);
}
