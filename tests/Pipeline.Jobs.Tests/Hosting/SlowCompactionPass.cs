using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// A compaction pass that runs until the test releases it (e.g. when the host begins to stop) and does not give up
/// on cancellation, like a Parquet write that must finish; it records start and end.
/// </summary>
internal sealed class SlowCompactionPass(EventFile events) : ICompactionPass
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    /// <summary>Lets the running pass (and every later one) finish.</summary>
    public void Release() => _released.TrySetResult();

    public async Task<CompactionPassResult> RunAsync(CancellationToken cancellationToken)
    {
        events.Append("compaction start");
        _started.TrySetResult();
        // Bounded: a test that never releases fails this run (and its outcome) instead of hanging.
        await _released.Task.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        events.Append("compaction end");
        return new CompactionPassResult(DaysCompacted: 1, Rows: 10);
    }
}
