namespace Pipeline.Exporter.Tests.Simulator;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class SimTempDir : IDisposable
{
    public SimTempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
