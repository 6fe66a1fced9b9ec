using System.Text.RegularExpressions;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Docs;

/// <summary>
/// The files a user is told to use exist: every repository path in the example configuration (keys and comments)
/// and in the commands of the README and the manuals (fenced blocks, which <see cref="DocsLinkTests"/> does not
/// read), and the example configuration still loads with its commented examples uncommented. The example once
/// named config/strategies/vwap-mean-reversion.yaml (the file is vwap_mean_reversion.yaml): uncommenting it exited 2.
/// </summary>
public sealed partial class ExamplePathsTests
{
    private static readonly string[] RepoRoots = ["vault/", "exporter/", "calculators/", "jobs/", "tests/", "config/", "docs/", ".ci/"];

    private static readonly string[] SkippedDirectories = ["bin", "obj", ".git", ".tools", "node_modules"];

    private static string Root { get; } = RepoPaths.Root();

    private static string Example => Path.Combine(Root, "config", "pipeline.example.yaml");

    [Fact]
    public void ExampleConfig_EveryRepoPath_Exists()
    {
        var lines = File.ReadAllLines(Example);
        var paths = lines.SelectMany((text, i) => RepoPathsIn(text).Select(p => (Line: i + 1, Path: p))).ToList();

        Assert.Contains(paths, p => p.Path == "config/strategies/vwap_mean_reversion.yaml");
        var missing = paths.Where(p => !Exists(p.Path)).Select(p => $"config/pipeline.example.yaml:{p.Line}: {p.Path}").ToList();
        Assert.True(missing.Count == 0, "paths in the example configuration that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void ExampleConfig_CommentedStrategiesUncommented_Loads()
    {
        using var dir = new TempDir();
        var text = File.ReadAllText(Example).ReplaceLineEndings("\n");
        var uncommented = UncommentedStrategies(text);
        Assert.NotEqual(text, uncommented);
        var file = dir.File("pipeline.yaml");
        File.WriteAllText(file, uncommented);

        // Relative paths in the configuration are relative to the working directory: the repository root, as in the README.
        var config = PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], Root);

        var strategy = Assert.Single(config.Strategies);
        Assert.Equal(Path.Combine(Root, "config", "strategies", "vwap_mean_reversion.yaml"), strategy);
    }

    [Fact]
    public void Docs_CommandBlockRepoPaths_Exist()
    {
        var missing = new List<string>();
        var checkedPaths = 0;
        foreach (var doc in Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories).Where(f => !IsSkipped(f)).Order(StringComparer.Ordinal))
        {
            foreach (var (line, text) in FencedLines(doc))
            {
                foreach (var path in RepoPathsIn(text))
                {
                    checkedPaths++;
                    if (!Exists(path))
                    {
                        missing.Add($"{Path.GetRelativePath(Root, doc)}:{line}: {path}");
                    }
                }
            }
        }

        Assert.True(checkedPaths > 0, "no repository path found in any command block: the scan is broken");
        Assert.True(missing.Count == 0, "paths in the docs' command blocks that do not exist:\n" + string.Join('\n', missing));
    }

    [Theory]
    [InlineData("./run.sh backtest --strategy config/strategies/x.yaml --from 2026-03-01", "config/strategies/x.yaml")]
    [InlineData("  - config/strategies/vwap_mean_reversion.yaml", "config/strategies/vwap_mean_reversion.yaml")]
    [InlineData("# (YAML under config/strategies/). None by default.", "config/strategies/")]
    [InlineData("run --config=\"docs/a.yaml\",", "docs/a.yaml")]
    [InlineData("see https://example.com/config/x.yaml", null)]
    [InlineData("raw/{exchange}/quarantine/ and jobs/bin/Release/pipeline.dll", null)]
    [InlineData("writer lock of exporter/backfill, holder's pid", null)]
    public void RepoPathsIn_Line_FindsCommandAndConfigPaths(string line, string? expected) =>
        Assert.Equal(expected is null ? Array.Empty<string>() : [expected], RepoPathsIn(line));

    /// <summary>The example with the commented lines after <c>strategies: []</c> uncommented in its place.</summary>
    private static string UncommentedStrategies(string text)
    {
        var lines = text.Split('\n').ToList();
        var at = lines.IndexOf("strategies: []");
        Assert.True(at >= 0, "the example no longer has a 'strategies: []' line");
        var block = lines.Skip(at + 1).TakeWhile(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(block);
        lines.RemoveRange(at, block.Count + 1);
        lines.InsertRange(at, block.Select(l => l[2..]));
        return string.Join('\n', lines);
    }

    /// <summary>Words of a command or YAML line that are paths in this repository (URLs, templates and build output left out).</summary>
    private static List<string> RepoPathsIn(string line)
    {
        var found = new List<string>();
        foreach (Match word in Word().Matches(line))
        {
            var text = word.Value;
            if (text.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            text = text.Contains('=', StringComparison.Ordinal) ? text[(text.LastIndexOf('=') + 1)..] : text;
            text = text.TrimEnd('"', '\'', '`', '(', ')', '[', ']', ',', ';', ':', '.').TrimStart('"', '\'', '`', '(', '[');
            if (text.StartsWith("./", StringComparison.Ordinal))
            {
                text = text[2..];
            }

            // A file (a name with an extension) or a folder (ending in '/'); "exporter/backfill" in prose is neither.
            if (RepoRoots.Any(r => text.StartsWith(r, StringComparison.Ordinal))
                && (text.EndsWith('/') || Path.GetExtension(text).Length > 1)
                && text.IndexOfAny(['{', '}', '*', '…', '<', '>', '|', '$']) < 0
                && !text.Contains("/bin/", StringComparison.Ordinal) && !text.Contains("/obj/", StringComparison.Ordinal))
            {
                found.Add(text);
            }
        }

        return found;
    }

    private static bool Exists(string path) => File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path));

    private static bool IsSkipped(string path) =>
        Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar).Any(part => SkippedDirectories.Contains(part));

    /// <summary>The lines inside fenced code blocks (commands, configuration excerpts), with their line numbers.</summary>
    private static IEnumerable<(int Line, string Text)> FencedLines(string file)
    {
        var fenced = false;
        var number = 0;
        foreach (var text in File.ReadLines(file))
        {
            number++;
            if (text.TrimStart().StartsWith("```", StringComparison.Ordinal) || text.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                yield return (number, text);
            }
        }
    }

    [GeneratedRegex(@"[^\s]+")]
    private static partial Regex Word();
}
