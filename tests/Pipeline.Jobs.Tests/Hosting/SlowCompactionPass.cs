using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// A compaction pass that takes <paramref name="duration"/> and does not give up on cancellation,
/// like a Parquet write that must finish; it records start and end.
/// </summary>
internal sealed class SlowCompactionPass(EventFile events, TimeSpan duration) : ICompactionPass
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public async Task<CompactionPassResult> RunAsync(CancellationToken cancellationToken)
    {
        events.Append("compaction start");
        _started.TrySetResult();
        await Task.Delay(duration, CancellationToken.None);
        events.Append("compaction end");
        return new CompactionPassResult(DaysCompacted: 1, Rows: 10);
    }
}
