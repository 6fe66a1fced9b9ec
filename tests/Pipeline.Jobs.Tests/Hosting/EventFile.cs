namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>An append-only event log on disk shared by the test passes; every line is flushed to the file.</summary>
internal sealed class EventFile(string path)
{
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public void Append(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(Path, line + "\n");
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return File.Exists(Path) ? File.ReadAllLines(Path) : [];
        }
    }

    public async Task WaitUntilAsync(Func<IReadOnlyList<string>, bool> condition, string what)
    {
        // A generous bound so a loaded machine does not fail the test; the usual wait is a few seconds.
        var bound = TimeSpan.FromSeconds(60);
        if (!await Waits.UntilAsync(PipelineProcess.Sampled(() => condition(Lines())), bound, what, throwOnTimeout: false))
        {
            throw new TimeoutException($"waited {bound.TotalSeconds:F0} s for {what}; events so far:\n{string.Join("\n", Lines())}");
        }
    }
}
