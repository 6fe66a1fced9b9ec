namespace Pipeline.Jobs.Bench;

/// <summary>End-to-end exporter run against the simulator over loopback (filled in once the simulator is merged).</summary>
internal static class EndToEnd
{
    public static Task<IReadOnlyList<ExportBench.Row>> RunAsync(string dir, TimeSpan duration, CancellationToken token)
    {
        _ = dir;
        _ = duration;
        _ = token;
        return Task.FromResult<IReadOnlyList<ExportBench.Row>>([]);
    }
}
