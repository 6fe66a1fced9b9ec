using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>
/// A config test's own folder (<see cref="Dir"/>), and <see cref="Load"/>: the YAML written to pipeline.yaml there and
/// loaded with the given environment and no flags.
/// </summary>
public abstract class ConfigFileTests : IDisposable
{
    protected TempDir Dir { get; } = new();

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected PipelineConfig Load(string yaml, Dictionary<string, string>? environment = null)
    {
        var file = Dir.File("pipeline.yaml");
        File.WriteAllText(file, yaml);
        return PipelineConfigLoader.Load(file, environment ?? [], [], Dir.Path);
    }
}
