using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Testing;
using Pipeline.Testing.Vaults;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Risk;

/// <summary>The gate in `pipeline signal`'s executor: loaded from state/risk at the start of a pass, saved after the ledger.</summary>
public sealed class LiveExecutorRiskTests : IDisposable
{
    private const string Id = "vwap_mean_reversion";
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly TestVault _fixture;

    public LiveExecutorRiskTests()
    {
        _vault = new VaultLayout(_dir.Path);
        _fixture = TestVault.Over(_vault);
    }

    public void Dispose() => _dir.Dispose();

    private LiveExecutor Executor(RiskLimits limits) => new(_vault, CreateConfig() with { Risk = limits });

    private string[] Signals() => File.ReadAllLines(_vault.SignalsDay(Id, "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3)));

    [Fact]
    public void ForcedLoss_HaltsNewEntries_AndStaysHaltedAfterARestart()
    {
        var limits = new RiskLimits { DailyLossLimit = 3.5m };
        _fixture.Minute(Minute(0), 980m);              // long at 980
        _fixture.AppendTrade(At(1, 10_000), 979m);     // filled
        _fixture.Minute(Minute(1), 990m);
        _fixture.AppendTrade(At(2, 5_000), 977m);      // through the stop 977.06: −3.7 USDT
        _fixture.Minute(Minute(2), 990m);
        _fixture.Minute(Minute(3), 980m);              // a long signal: over the limit
        Executor(limits).RunOnce();

        Assert.Contains("long signal skipped: risk daily_loss: daily loss 3.7", Signals()[3], StringComparison.Ordinal);
        Assert.Equal("daily_loss", Assert.Single(RiskStore.StateFile(_vault, Id).Read()!.Halts).Kind);

        _fixture.Minute(Minute(4), 980m);              // the next process: a fresh executor, the halt from the file
        Executor(limits).RunOnce();

        Assert.Contains("long signal skipped: risk daily_loss", Signals()[4], StringComparison.Ordinal);
        Assert.Single(LedgerReader.ReadFills(_vault, Id), f => f.Kind == "entry");
    }

    [Fact]
    public async Task KillSwitch_FromTheCli_FlattensAtTheNextTradeOfTheNextPass_AndBlocksUntilCleared()
    {
        _fixture.Minute(Minute(0), 980m);
        _fixture.AppendTrade(At(1, 10_000), 979m);
        _fixture.Minute(Minute(1), 990m);
        Executor(RiskLimits.Default).RunOnce();
        Assert.NotNull(Executor(RiskLimits.Default).ReadState()!.Engine.Position);

        var (code, _, _) = await CliRunner.RunAsync("kill", "--vault", _dir.Path, "--strategy", Id);
        Assert.Equal(0, code);
        _fixture.AppendTrade(At(2, 20_000), 982m);
        _fixture.Minute(Minute(2), 980m);               // a long signal after the flatten
        Executor(RiskLimits.Default).RunOnce();

        Assert.Null(Executor(RiskLimits.Default).ReadState()!.Engine.Position);
        var exit = LedgerReader.ReadFills(_vault, Id)[^1];
        Assert.Equal(("risk_flatten", 982m, "taker"), (exit.Kind, exit.Px, exit.Liquidity));
        Assert.Contains("long signal skipped: risk kill_switch", Signals()[2], StringComparison.Ordinal);

        (code, _, _) = await CliRunner.RunAsync("kill", "--vault", _dir.Path, "--strategy", Id, "--clear");
        Assert.Equal(0, code);
        _fixture.Minute(Minute(3), 980m);
        Executor(RiskLimits.Default).RunOnce();
        Assert.Contains("\"action\":\"long\"", Signals()[3], StringComparison.Ordinal);
    }
}
