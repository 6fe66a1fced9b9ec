namespace Pipeline.Testing;

/// <summary>Files of the repository the tests run from (example configs, strategies, scripts).</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds Pipeline.sln.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
