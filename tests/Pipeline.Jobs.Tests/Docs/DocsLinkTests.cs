using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Jobs.Tests.Strategies;

namespace Pipeline.Jobs.Tests.Docs;

/// <summary>
/// The documentation says where things are: the README and the manuals next to the code link to each other and
/// quote repository paths and test names. When code moves, these tests name every link, path or test the move
/// broke, and keep the README short enough for a newcomer.
/// </summary>
public sealed partial class DocsLinkTests
{
    /// <summary>The README is the front page: what Pipeline is, two commands, the CLI, the vault, guarantees, links.</summary>
    private const int ReadmeLineBudget = 300;

    /// <summary>First path segments that mark a quoted path as a path in this repository.</summary>
    private static readonly string[] RepoRoots = ["vault/", "exporter/", "calculators/", "jobs/", "tests/", "config/", "docs/", ".ci/"];

    private static readonly string[] SkippedDirectories = ["bin", "obj", ".git", ".tools", "node_modules"];

    [Fact]
    public void Readme_LineCount_WithinBudget()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md")).Length;

        Assert.True(lines <= ReadmeLineBudget,
            $"README.md has {lines} lines, over its budget of {ReadmeLineBudget}: move details into the manual next to the code or docs/");
    }

    [Fact]
    public void Docs_RelativeLinks_TargetsAndAnchorsExist()
    {
        var broken = new List<string>();
        foreach (var doc in MarkdownFiles())
        {
            foreach (var (line, target) in Links(doc))
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = pathPart.Length == 0 ? doc : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, Uri.UnescapeDataString(pathPart)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Relative(doc)}:{line}: link to {target}: {Relative(resolved)} does not exist");
                }
                else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(resolved).Contains(anchor))
                {
                    broken.Add($"{Relative(doc)}:{line}: link to {target}: no heading with anchor #{anchor} in {Relative(resolved)}");
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Docs_QuotedRepoPaths_Exist()
    {
        var missing = new List<string>();
        foreach (var doc in MarkdownFiles())
        {
            foreach (var (line, code) in CodeSpans(doc))
            {
                if (IsRepoPath(code) && !File.Exists(Path.Combine(Root, code)) && !Directory.Exists(Path.Combine(Root, code)))
                {
                    missing.Add($"{Relative(doc)}:{line}: `{code}` does not exist in the repository");
                }
            }
        }

        Assert.True(missing.Count == 0, "paths quoted in the docs that do not exist:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Readme_NamedTests_ExistUnderTests()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsSkipped(f))
            .Select(File.ReadAllText)
            .ToList();
        var missing = new List<string>();
        var named = 0;
        foreach (var doc in new[] { "README.md", Path.Combine("docs", "guarantees.md") })
        {
            foreach (var (line, code) in CodeSpans(Path.Combine(Root, doc)))
            {
                var match = TestName().Match(code);
                if (!match.Success)
                {
                    continue;
                }

                named++;
                var type = match.Groups["type"].Value;
                var method = match.Groups["method"].Value;
                var declaring = sources.Where(s => Regex.IsMatch(s, $@"\bclass {type}\b")).ToList();
                if (declaring.Count == 0)
                {
                    missing.Add($"{doc}:{line}: no test class {type}");
                }
                else if (method.Length > 0 && !declaring.Any(s => Regex.IsMatch(s, $@"\b{method}\s*\(")))
                {
                    missing.Add($"{doc}:{line}: no test {type}.{method}");
                }
            }
        }

        Assert.True(named >= 40, $"only {named} test names found in README.md and docs/guarantees.md: has the guarantees table lost its tests?");
        Assert.True(missing.Count == 0, "tests named in the docs that do not exist:\n" + string.Join('\n', missing));
    }

    [Theory]
    [InlineData("Figures: `pipeline bench backtest` (2 cores, shared)", "figures-pipeline-bench-backtest-2-cores-shared")]
    [InlineData("Windows are O(1) per minute", "windows-are-o1-per-minute")]
    [InlineData("What `run.sh` does", "what-runsh-does")]
    [InlineData("bars_1m", "bars_1m")]
    [InlineData("[Link](x.md) and **bold**", "link-and-bold")]
    public void Slug_Heading_AsGitHubMakesIt(string heading, string expected) => Assert.Equal(expected, Slug(heading));

    private static string Root { get; } = RepoPaths.Root();

    /// <summary>README.md, docs/ and every manual next to the code (build output and tools left out).</summary>
    private static IEnumerable<string> MarkdownFiles() =>
        Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories).Where(f => !IsSkipped(f)).Order(StringComparer.Ordinal);

    private static bool IsSkipped(string path) =>
        Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar).Any(part => SkippedDirectories.Contains(part));

    private static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static bool IsRepoPath(string code) =>
        RepoRoots.Any(r => code.StartsWith(r, StringComparison.Ordinal))
        && code.IndexOfAny(['{', '}', '*', '…', '<', '>', ' ', '|', '=']) < 0
        && !code.Contains("/bin/", StringComparison.Ordinal)
        && !code.Contains("/obj/", StringComparison.Ordinal);

    /// <summary>The lines of a Markdown file outside fenced code blocks, with their line numbers.</summary>
    private static IEnumerable<(int Line, string Text)> ProseLines(string file)
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

            if (!fenced)
            {
                yield return (number, text);
            }
        }
    }

    private static IEnumerable<(int Line, string Target)> Links(string file) =>
        from line in ProseLines(file)
        from Match m in Link().Matches(InlineCode().Replace(line.Text, ""))
        select (line.Line, m.Groups["target"].Value);

    private static IEnumerable<(int Line, string Code)> CodeSpans(string file) =>
        from line in ProseLines(file)
        from Match m in InlineCode().Matches(line.Text)
        select (line.Line, m.Groups["code"].Value);

    /// <summary>The anchors GitHub gives the headings of a file (a repeated heading gets -1, -2, ...).</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, text) in ProseLines(file))
        {
            var heading = Heading().Match(text);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : slug + "-" + count.ToString(CultureInfo.InvariantCulture));
        }

        return anchors;
    }

    /// <summary>GitHub's heading anchor: the rendered text lower-cased, punctuation dropped, spaces to hyphens.</summary>
    private static string Slug(string heading)
    {
        var text = Link().Replace(heading, m => m.Groups["text"].Value);
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`(?<code>[^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z0-9]*Tests)(\.(?<method>[A-Za-z0-9_]+))?$")]
    private static partial Regex TestName();
}
