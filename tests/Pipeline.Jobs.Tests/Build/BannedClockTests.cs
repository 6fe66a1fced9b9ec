namespace Pipeline.Jobs.Tests.Build;

/// <summary>
/// The guard rail itself, built for real: a throwaway product project under the repository's build settings
/// (Directory.Build.props, central versions, BannedSymbols.txt) that reads DateTime.UtcNow must not build.
/// </summary>
public sealed class BannedClockTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Build_ProductCodeReadsDateTimeUtcNow_FailsWithTheTimeProviderHint()
    {
        var root = RepoPaths.Root();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "global.json", ".editorconfig" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(_dir.Path, file));
        }

        var project = Path.Combine(_dir.Path, "Probe");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Probe.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        File.WriteAllText(Path.Combine(project, "Clock.cs"), """
            namespace Probe;

            public static class Clock
            {
                public static DateTime Read() => DateTime.UtcNow;
            }

            """);

        var (code, stdout, stderr) = await PipelineProcess.RunProgramAsync("dotnet", ["build", project, "-nologo", "-v:q"], _dir.Path,
            new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });

        var output = stdout + stderr;
        Assert.True(code != 0, "the probe built although it reads DateTime.UtcNow:\n" + output);
        Assert.Contains("RS0030", output, StringComparison.Ordinal);
        Assert.Contains("TimeProvider", output, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
