using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>
/// The calculators' settings in pipeline.yaml / PIPELINE_CALCULATORS__* (the options <c>calc</c> takes as flags): each
/// defaults to the calculators' default, is read from the file, the environment beats the file, and a bad value is a
/// usage error naming the key, its source and the value.
/// </summary>
public sealed class CalculatorsConfigTests : ConfigFileTests
{
    [Fact]
    public void Load_NoCalculatorKeys_TheCalculatorsDefaults()
    {
        var options = Load("vault: v\n").Calculators.ToOptions(TimeProvider.System);
        var defaults = new CalcOptions();
        Assert.Equal(
            (defaults.AdxPeriod, defaults.OfiWindowMinutes, defaults.RobustZMinutes, defaults.VpinBucketVolume, defaults.VpinBuckets, defaults.DepthBps, defaults.KyleWindow),
            (options.AdxPeriod, options.OfiWindowMinutes, options.RobustZMinutes, options.VpinBucketVolume, options.VpinBuckets, options.DepthBps, options.KyleWindow));
        Assert.Equal(defaults.BandMultipliers, options.BandMultipliers);
        Assert.Equal((10m, 50, 5, 10m, 30), (options.VpinBucketVolume, options.VpinBuckets, options.OfiWindowMinutes, options.DepthBps, options.KyleWindow));
    }

    [Fact]
    public void Load_EveryCalculatorKeyFromFile_ReachesTheCalcOptions()
    {
        var config = Load("""
            calculators:
              latenessSeconds: 3
              sessionHour: 8
              adxPeriod: 20
              bands: [1.5, 3]
              ofiWindowMinutes: 15
              zWindowMinutes: 120
              vpinBucket: 2.5
              vpinBuckets: 7
              depthBps: 25.5
              kyleWindow: 60
            """);
        var options = config.Calculators.ToOptions(TimeProvider.System);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AllowedLateness);
        Assert.Equal(8, options.SessionResetHour);
        Assert.Equal(20, options.AdxPeriod);
        Assert.Equal([1.5m, 3m], options.BandMultipliers);
        Assert.Equal(15, options.OfiWindowMinutes);
        Assert.Equal(120, options.RobustZMinutes);
        Assert.Equal(2.5m, options.VpinBucketVolume);
        Assert.Equal(7, options.VpinBuckets);
        Assert.Equal(25.5m, options.DepthBps);
        Assert.Equal(60, options.KyleWindow);
        options.Validate();
    }

    [Fact]
    public void Load_EnvironmentVariables_BeatTheFile()
    {
        var config = Load("calculators:\n  vpinBucket: 2.5\n  bands: [1]\n", new Dictionary<string, string>
        {
            ["PIPELINE_CALCULATORS__VPINBUCKET"] = "0.75",
            ["PIPELINE_CALCULATORS__VPINBUCKETS"] = "9",
            ["PIPELINE_CALCULATORS__BANDS"] = "1,2.5",
            ["PIPELINE_CALCULATORS__KYLEWINDOW"] = "12",
        });
        Assert.Equal(0.75m, config.Calculators.VpinBucket);
        Assert.Equal(9, config.Calculators.VpinBuckets);
        Assert.Equal([1m, 2.5m], config.Calculators.Bands);
        Assert.Equal(12, config.Calculators.KyleWindow);
    }

    [Theory]
    [InlineData("vpinBucket", "0")]
    [InlineData("vpinBucket", "-2")]
    [InlineData("vpinBucket", "ten")]
    [InlineData("vpinBucket", "1e3")]
    [InlineData("vpinBuckets", "0")]
    [InlineData("vpinBuckets", "10001")]
    [InlineData("vpinBuckets", "2.5")]
    [InlineData("ofiWindowMinutes", "0")]
    [InlineData("ofiWindowMinutes", "1441")]
    [InlineData("zWindowMinutes", "1")]
    [InlineData("zWindowMinutes", "1441")]
    [InlineData("depthBps", "0")]
    [InlineData("depthBps", "10000.5")]
    [InlineData("kyleWindow", "2")]
    [InlineData("adxPeriod", "1")]
    [InlineData("bands", "[1, 0]")]
    [InlineData("bands", "[1, x]")]
    public void Load_BadCalculatorValue_ErrorNamesKeyFileAndValue(string key, string value)
    {
        var ex = Assert.Throws<UsageException>(() => Load($"calculators:\n  {key}: {value}\n"));
        Assert.Contains("calculators." + key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Dir.File("pipeline.yaml"), ex.Message, StringComparison.Ordinal);
        Assert.Contains(value.Trim('[', ']').Split(", ").Last(), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Load_EmptyBands_ErrorNamesKey()
    {
        var ex = Assert.Throws<UsageException>(() => Load("calculators:\n  bands: []\n"));
        Assert.Contains("calculators.bands: needs at least one multiplier", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadValueFromEnvironment_ErrorNamesTheVariable()
    {
        var ex = Assert.Throws<UsageException>(() => Load("vault: v\n", new Dictionary<string, string> { ["PIPELINE_CALCULATORS__VPINBUCKET"] = "0" }));
        Assert.StartsWith("environment variable PIPELINE_CALCULATORS__VPINBUCKET: calculators.vpinBucket: '0' is not a positive volume", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadVpinBucket_ExitsTwoWithOneLineNamingKeyAndValue()
    {
        var config = Dir.File("bad.yaml");
        await File.WriteAllTextAsync(config, $"vault: {Dir.File("vault")}\ncalculators:\n  vpinBucket: -5\n");
        var (code, _, error) = await CliRunner.RunAsync("run", "--config", config);
        Assert.Equal(2, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("calculators.vpinBucket: '-5' is not a positive volume", line, StringComparison.Ordinal);
    }
}
