using System.Text.RegularExpressions;

namespace Pipeline.Vault.Tests;

/// <summary>
/// Test helpers live once, in tests/Pipeline.Testing: a type declared in two test projects (or in a test project
/// and the support library) is a copy that will drift, so the build of the tests says so.
/// </summary>
public sealed partial class SharedHelpersTests
{
    [Fact]
    public void TestProjects_NoTypeNameDeclaredInTwoProjects_HelpersLiveInPipelineTesting()
    {
        var declared = DeclaredTypes(Path.Combine(RepoPaths.Root(), "tests"));

        // The scan sees the tree (so this test can fail): every project, and the support library's own types.
        Assert.Contains("Pipeline.Testing", declared.Values.SelectMany(p => p));
        Assert.Contains("Pipeline.Testing", declared["TestVault"]);
        Assert.True(declared.Count > 100, $"only {declared.Count} type names found under tests/");

        var copies = declared.Where(t => t.Value.Count > 1)
            .Select(t => $"{t.Key}: {string.Join(", ", t.Value.Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(copies.Count == 0,
            "types declared in more than one test project (move the helper to tests/Pipeline.Testing):\n" + string.Join("\n", copies));
    }

    [Fact]
    public void DeclaredTypes_TwoProjectsWithTheSameHelper_BothNamed()
    {
        using var dir = new TempDir();
        File.WriteAllText(PathIn(dir, "A.Tests", "Clock.cs"), "namespace A;\n\ninternal sealed class FakeClock(long now)\n{\n}\n");
        File.WriteAllText(PathIn(dir, "B.Tests", "Sub", "Clock.cs"), "namespace B;\n\npublic static partial class Other { private sealed record FakeClock; }\n");
        File.WriteAllText(PathIn(dir, "B.Tests", "obj", "Gen.cs"), "internal sealed class Generated { }\n");

        var declared = DeclaredTypes(dir.Path);

        Assert.Equal(["A.Tests", "B.Tests"], declared["FakeClock"].Order(StringComparer.Ordinal));
        Assert.Equal(["B.Tests"], declared["Other"]);
        Assert.False(declared.ContainsKey("Generated")); // build output is not source
    }

    /// <summary>Type name → the test projects (first folder under <paramref name="testsDir"/>) declaring it.</summary>
    private static Dictionary<string, HashSet<string>> DeclaredTypes(string testsDir)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(testsDir, "*.cs", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(testsDir, file).Split(Path.DirectorySeparatorChar);
            if (parts.Length < 2 || parts.Contains("obj") || parts.Contains("bin"))
            {
                continue;
            }

            foreach (Match match in TypeDeclaration().Matches(File.ReadAllText(file)))
            {
                var name = match.Groups["name"].Value;
                if (!result.TryGetValue(name, out var projects))
                {
                    result[name] = projects = new HashSet<string>(StringComparer.Ordinal);
                }

                projects.Add(parts[0]);
            }
        }

        return result;
    }

    private static string PathIn(TempDir dir, params string[] parts)
    {
        var path = dir.File(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>A class, struct, interface, enum or record declaration (nested ones too), modifiers first.</summary>
    [GeneratedRegex(@"(?:^|[;{])\s*(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial|readonly|ref|unsafe|new)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
