namespace Pipeline.Jobs.Tests.Cli;

/// <summary>The process launcher itself: what every process test relies on.</summary>
public sealed class PipelineProcessTests
{
    // Broke: under a background harness (SIGINT ignored, inherited by every child) the SIGINT host test waited 90 s
    // for a child that could not hear the signal. Run in such a harness, this fails without the launcher's reset.
    [LinuxFact("reads the signal mask from /proc")]
    public async Task Launch_ParentRunsWithSigintIgnored_ChildStartsWithSigintAndSigquitAtDefault()
    {
        var (code, stdout, stderr) = await PipelineProcess.RunProgramAsync("bash", ["-c", "grep SigIgn /proc/self/status"]);

        Assert.True(code == 0, stderr);
        var mask = Convert.ToUInt64(stdout.Split(':')[1].Trim(), 16);
        Assert.True((mask & 0b110) == 0, $"the child ignores SIGINT or SIGQUIT (SigIgn {stdout.Trim()}); parent ignores them: {PipelineProcess.InheritedIgnoredInterrupt}");
    }
}
