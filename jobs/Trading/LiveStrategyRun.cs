using Pipeline.Jobs.Execution.Venue;

namespace Pipeline.Jobs.Trading;

/// <summary>
/// One live strategy inside <c>pipeline run</c>: what its executor service is doing (for /health, /metrics), its current
/// executor's status, and the last failure. Written by the service, read by the health probe: thread-safe.
/// </summary>
public sealed class LiveStrategyRun(LiveStrategy live)
{
    private readonly Lock _gate = new();
    private Func<VenueExecutorStatus>? _current;
    private VenueExecutorStatus? _lastStatus;
    private string _state = LiveRunStates.Starting;
    private string? _error;

    public LiveStrategy Live { get; } = live;

    public string StrategyId => Live.Strategy.Id;

    public string Venue => Live.Target.Venue;

    /// <summary>starting, running, restarting, stopped or "auth failed" (<see cref="LiveRunStates"/>).</summary>
    public string State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The last failure of the service (an executor that ended, a venue that refused the key), else null.</summary>
    public string? Error
    {
        get
        {
            lock (_gate)
            {
                return _error;
            }
        }
    }

    /// <summary>The current executor's status, or the last one's after it ended; null before the first executor exists.</summary>
    public VenueExecutorStatus? Status
    {
        get
        {
            lock (_gate)
            {
                return _current?.Invoke() ?? _lastStatus;
            }
        }
    }

    internal void Running(VenueExecutor executor) => Running(() => executor.Status);

    /// <summary>The executor is running; <paramref name="status"/> reads its status (a test may give any).</summary>
    internal void Running(Func<VenueExecutorStatus> status)
    {
        lock (_gate)
        {
            _current = status;
            _state = LiveRunStates.Running;
        }
    }

    internal void Ended(string state, string? error)
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                _lastStatus = _current();
                _current = null;
            }

            _state = state;
            _error = error ?? _error;
        }
    }
}

/// <summary>The states of a <see cref="LiveStrategyRun"/>.</summary>
public static class LiveRunStates
{
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Restarting = "restarting";
    public const string Stopped = "stopped";
    public const string AuthFailed = "auth failed";
}
