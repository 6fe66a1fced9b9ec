using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Export;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>exporter.maxEventTimeSkewSeconds: the event-time bound of the exporter's quarantine rule.</summary>
public sealed class MaxEventTimeSkewConfigTests : ConfigFileTests
{
    [Fact]
    public void Load_Default_IsOneDay_AndReachesTheExporterOptions()
    {
        var config = Load("vault: v\n");
        Assert.Equal(TimeSpan.FromDays(1), config.MaxEventTimeSkew);
        Assert.Equal(TimeSpan.FromDays(1), ExporterFactory.Options(config.Exchanges[0], config.Endpoints, config.MaxEventTimeSkew).MaxEventTimeSkew);
    }

    [Fact]
    public void Load_YamlAndEnvironment_SetTheBound()
    {
        Assert.Equal(TimeSpan.FromHours(1), Load("exporter:\n  maxEventTimeSkewSeconds: 3600\n").MaxEventTimeSkew);
        var fromEnvironment = Load("vault: v\n", new Dictionary<string, string> { ["PIPELINE_EXPORTER__MAXEVENTTIMESKEWSECONDS"] = "120" });
        Assert.Equal(TimeSpan.FromMinutes(2), fromEnvironment.MaxEventTimeSkew);
        var options = ExporterFactory.Options(fromEnvironment.Exchanges[0], fromEnvironment.Endpoints, fromEnvironment.MaxEventTimeSkew);
        Assert.Equal(TimeSpan.FromMinutes(2), options.MaxEventTimeSkew);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    public void Load_InvalidBound_IsAUsageErrorNamingTheKey(string value)
    {
        var error = Assert.Throws<UsageException>(() => Load($"exporter:\n  maxEventTimeSkewSeconds: {value}\n"));
        Assert.Contains("exporter.maxEventTimeSkewSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleConfig_StatesTheDefault()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "config", "pipeline.example.yaml");
        Assert.Equal(TimeSpan.FromDays(1), PipelineConfigLoader.Load(example, new Dictionary<string, string>(), [], Dir.Path).MaxEventTimeSkew);
    }
}
