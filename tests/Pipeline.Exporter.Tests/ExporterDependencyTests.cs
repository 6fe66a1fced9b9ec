using System.Xml.Linq;

namespace Pipeline.Exporter.Tests;

/// <summary>
/// The production exporter stays free of the web framework: the simulator (the only reason it ever referenced
/// ASP.NET Core) is its own project, exporter/Simulator/Pipeline.Simulator.csproj.
/// </summary>
public sealed class ExporterDependencyTests
{
    private static readonly System.Reflection.Assembly Exporter = typeof(ExporterService).Assembly;

    [Fact]
    public void ExporterAssembly_ReferencesNoAspNetCoreAndNoSimulator()
    {
        var references = Exporter.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.Contains("Pipeline.Vault", references); // the list is the real one
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain("Pipeline.Simulator", references);
    }

    [Fact]
    public void ExporterAssembly_CompilesNoSimulatorCode()
    {
        Assert.DoesNotContain(Exporter.GetTypes(), t => t.Namespace?.StartsWith("Pipeline.Simulator", StringComparison.Ordinal) == true);
        Assert.NotEqual(Exporter, typeof(Pipeline.Simulator.SimulatorHost).Assembly);
    }

    [Fact]
    public void ExporterProjectFile_NoWebSdkNoFrameworkReferenceNoAspNetCorePackage()
    {
        var project = XDocument.Load(Path.Combine(RepoRoot(), "exporter", "Pipeline.Exporter.csproj")).Root!;
        Assert.Equal("Microsoft.NET.Sdk", (string?)project.Attribute("Sdk"));
        Assert.Empty(project.Descendants("FrameworkReference"));
        Assert.DoesNotContain(project.Descendants("PackageReference"),
            e => ((string?)e.Attribute("Include") ?? "").StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(project.Descendants("ProjectReference"),
            e => ((string?)e.Attribute("Include") ?? "").Contains("Simulator", StringComparison.OrdinalIgnoreCase));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
