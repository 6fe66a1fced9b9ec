using System.Text.RegularExpressions;

namespace Pipeline.Jobs.Tests.Health;

/// <summary>The README documents every metric /metrics serves (the live ones were added without a line once).</summary>
public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public void PipelineMetrics_EveryMetric_HasARowInTheJobsReadme()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root(), "jobs", "Health", "PipelineMetrics.cs"));
        var names = MetricName().Matches(source).Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count >= 30, $"found only {names.Count} metrics in PipelineMetrics.cs: the pattern no longer matches");
        Assert.Contains("pipeline_live_orders_sent_total", names);

        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root(), "jobs", "README.md"));
        var missing = names.Where(n => !readme.Contains($"| `{n}` |", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "jobs/README.md (Health and metrics) has no row for: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"Create(?:Gauge|Counter)\(""(pipeline_[a-z_]+)""")]
    private static partial Regex MetricName();
}
