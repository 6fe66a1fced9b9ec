using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Demo;

namespace Pipeline.Jobs.Tests.Cli;

/// <summary>
/// Which vault a command uses without --vault. After `./run.sh demo` the commands without --vault used the empty
/// ./vault-data (verify exited 1, status said "no raw trades yet ... try ./run.sh demo"); real data must still never
/// default into, or be written into, the demo's vault.
/// </summary>
public sealed class VaultResolverTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Data => _dir.File("vault-data");

    private string Demo => _dir.File("vault-demo");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resolve_DemoRanNoRealData_ReadersUseTheDemosVaultAndSayWhy()
    {
        MakeDemo();

        var choice = VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine);

        Assert.Equal(Demo, choice.Layout.Root);
        Assert.False(choice.Explicit);
        Assert.StartsWith("vault: ./vault-demo (the demo's; ./vault-data holds no data yet", choice.Describe(_dir.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DefaultVaultHoldsOnlyLogs_StillTheDemosVault()
    {
        MakeDemo();
        Directory.CreateDirectory(Path.Combine(Data, "logs")); // a read command's log file is not data

        Assert.Equal(Demo, VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine).Layout.Root);
    }

    [Fact]
    public void Resolve_RealDataExists_DefaultVaultAndNamesTheDemos()
    {
        MakeDemo();
        Directory.CreateDirectory(Path.Combine(Data, "raw"));

        var choice = VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine);

        Assert.Equal(Data, choice.Layout.Root);
        Assert.Equal("vault: ./vault-data (the default; the demo's is ./vault-demo: pass --vault vault-demo)", choice.Describe(_dir.Path));
    }

    [Fact]
    public void Resolve_NoDemoNoData_DefaultVault()
    {
        Assert.Equal(Data, VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine).Layout.Root);
    }

    [Fact]
    public void Resolve_DemoDirectoryWithoutMarker_NotTakenForTheDemos()
    {
        Directory.CreateDirectory(Path.Combine(Demo, "raw"));

        Assert.Equal(Data, VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine).Layout.Root);
    }

    [Theory]
    [InlineData(VaultUse.Record)]
    [InlineData(VaultUse.Default)]
    public void Resolve_WritersAndOthers_NeverDefaultToTheDemosVault(VaultUse use)
    {
        MakeDemo();

        Assert.Equal(Data, VaultResolver.Resolve(null, null, _dir.Path, use).Layout.Root);
    }

    [Fact]
    public void Resolve_RecordIntoNamedDemoVault_UsageError()
    {
        MakeDemo();

        var byOption = Assert.Throws<UsageException>(() => VaultResolver.Resolve(Demo, null, _dir.Path, VaultUse.Record));
        Assert.Contains("is the demo's vault", byOption.Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => VaultResolver.Resolve(null, Demo, _dir.Path, VaultUse.Record));
        Assert.Equal(Demo, VaultResolver.Resolve(Demo, null, _dir.Path, VaultUse.Examine).Layout.Root);
    }

    [Fact]
    public void Resolve_Order_OptionThenEnvironmentThenConfigThenDefault()
    {
        MakeDemo();
        File.WriteAllText(_dir.File("pipeline.yaml"), "vault: from-config\n");

        var option = VaultResolver.Resolve("from-option", "from-env", _dir.Path, VaultUse.Examine);
        var environment = VaultResolver.Resolve(null, "from-env", _dir.Path, VaultUse.Examine);
        var config = VaultResolver.Resolve(null, null, _dir.Path, VaultUse.Examine);

        Assert.Equal((_dir.File("from-option"), true), (option.Layout.Root, option.Explicit));
        Assert.Equal(_dir.File("from-env"), environment.Layout.Root);
        Assert.Equal("vault: ./from-env (from $PIPELINE_VAULT)", environment.Describe(_dir.Path));
        Assert.Equal(_dir.File("from-config"), config.Layout.Root);
        Assert.Contains("from vault: in " + _dir.File("pipeline.yaml"), config.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IntoTheDemosVault_ExitsTwoAndWritesNothing()
    {
        MakeDemo();
        var before = Directory.GetFileSystemEntries(Demo, "*", SearchOption.AllDirectories);

        var (code, _, error) = await CliRunner.RunAsync("export", "--exchange", "okx", "--inst", "BTC-USDT-SWAP", "--vault", Demo);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is the demo's vault", error, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(Demo, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Run_AgainstTheDemosVault_ExitsTwo()
    {
        MakeDemo();

        var (code, _, error) = await CliRunner.RunAsync("run", "--vault", Demo);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is the demo's vault", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoVault_IntoARealVault_Refused()
    {
        Directory.CreateDirectory(Path.Combine(Data, "raw"));

        var error = Assert.Throws<UsageException>(() => DemoVault.Prepare(Data));

        Assert.Contains("was not made by a demo", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(Data, "raw")));
    }

    private void MakeDemo() => DemoVault.Prepare(Demo);
}
