using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Tests.Cli;

public sealed class PipelineCliTests
{
    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwoWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["no-such-command"], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith("error:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidVaultLogLevel_ExitsTwo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["doctor", "--log-level", "loud"], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--log-level", error.ToString(), StringComparison.Ordinal);
    }
}
