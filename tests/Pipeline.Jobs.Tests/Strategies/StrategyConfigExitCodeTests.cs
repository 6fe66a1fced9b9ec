using System.CommandLine;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Tests.Strategies;

public sealed class StrategyConfigExitCodeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CommandAction_InvalidStrategyFile_ExitsTwoWithOneLineNamingFileAndKey()
    {
        var file = _dir.File("bad.yaml");
        await File.WriteAllTextAsync(file, "id: s\nstrategy: vwap_mean_reversion\nexchange: okx\ninstId: BTCUSDT\nparameters:\n  adxMax: high\n");
        var command = new Command("probe");
        CommandAction.Set(command, (_, _) =>
        {
            StrategyRegistry.CreateDefault().Load(file);
            return Task.FromResult(0);
        }, fileLog: false);
        var root = new RootCommand { command };
        root.Options.Add(CommonOptions.Vault);
        root.Options.Add(CommonOptions.LogLevel);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await root.Parse(["probe", "--vault", _dir.Path]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: {file}: parameters.adxMax: 'high' is not a number (line 6)", error.ToString().TrimEnd());
    }
}
