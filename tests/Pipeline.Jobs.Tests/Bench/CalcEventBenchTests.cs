using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Tests.Bench;

public sealed class CalcEventBenchTests
{
    [Fact]
    public async Task BenchCalc_EventsOnly_PrintsMedianP99BytesPerEventThePeerAndTheLoad()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["bench", "calc", "--events-only", "--events", "20000"], output, error);
        Assert.True(code == ExitCodes.Ok, error.ToString());
        var text = output.ToString();
        Assert.Contains("20,000 quote events", text, StringComparison.Ordinal);
        Assert.Matches(@"median \d+ ns, p99 \d+ ns, max [\d.]+ µs, [\d.]+ bytes allocated per event", text);
        Assert.Contains("peer (the same loop reading the same fields", text, StringComparison.Ordinal);
        Assert.Contains("targets: per event <= 1 µs median", text, StringComparison.Ordinal);
        Assert.Contains(OperatingSystem.IsLinux() ? "load average" : "cores", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--events", "10")]
    [InlineData("--events-only", "--events", "0")]
    public async Task BenchCalc_BadEventCount_ExitTwoWithOneLine(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(["bench", "calc", .. args, "--dir", Path.Combine(Path.GetTempPath(), "pipeline-tests-unused")], output, error);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }
}
