namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>The CLI side of run/schedule: configuration errors are usage errors (exit 2, one line naming the key).</summary>
public sealed class HostCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Schedule_UnknownKey_ExitsTwoNamingKey()
    {
        var config = _dir.File("bad.yaml");
        await File.WriteAllTextAsync(config, "schedule:\n  calcs: \"0 * * * * ?\"\n");
        var (code, _, error) = await CliRunner.RunAsync("schedule", "--config", config, "--vault", _dir.File("vault"));
        Assert.Equal(2, code);
        Assert.Contains("unknown key 'schedule.calcs'", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_FastCalcCronFlag_ExitsTwoNamingFlag()
    {
        var (code, _, error) = await CliRunner.RunAsync("run", "--calc-cron", "* * * * * ?", "--config", _dir.File("missing.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("--config", error, StringComparison.Ordinal);

        var config = _dir.File("ok.yaml");
        await File.WriteAllTextAsync(config, "vault: " + _dir.File("vault") + "\n");
        (code, _, error) = await CliRunner.RunAsync("run", "--calc-cron", "* * * * * ?", "--config", config);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --calc-cron: schedule.calculators:", error, StringComparison.Ordinal);
    }
}
