using Pipeline.Jobs.Execution.Risk;
using Pipeline.Testing;
using Pipeline.Testing.Time;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Execution.Risk;

public sealed class KillCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Vault => _dir.File("vault");

    private RiskGate Gate() => RiskStore.Load(new VaultLayout(Vault), "vwap_mr_okx", RiskLimits.Default, "BTC-USDT-SWAP");

    [Fact]
    public async Task Kill_SetThenClear_TheGateBlocksThenAllows()
    {
        var clock = TestClock.At(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        var order = new OrderIntent("o1", "BTC-USDT-SWAP", true, 0.01m);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        var (code, output, error) = await CliRunner.RunAsync(clock, "kill", "--vault", Vault, "--strategy", "vwap_mr_okx", "--reason", "exchange incident");

        Assert.Equal(0, code);
        Assert.Contains("warning: no strategy 'vwap_mr_okx' has run in the vault", error, StringComparison.Ordinal); // a typo shows
        Assert.Contains("kill switch of vwap_mr_okx set at 2026-01-05T10:00:00.000Z", output, StringComparison.Ordinal);
        var blocked = Gate().Check(order, 1000m, now + 1);
        Assert.Equal("kill_switch", blocked.Limit);
        Assert.Contains("(exchange incident)", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal("kill switch set at 2026-01-05T10:00:00.000Z", Gate().FlattenDue(now + 1));

        clock.Advance(TimeSpan.FromMinutes(5));
        (code, output, _) = await CliRunner.RunAsync(clock, "kill", "--vault", Vault, "--strategy", "vwap_mr_okx", "--clear");

        Assert.Equal(0, code);
        Assert.Contains("cleared", output, StringComparison.Ordinal);
        Assert.True(Gate().Check(order, 1000m, now + 1).Allowed);
        Assert.Equal(now + 300_000, RiskStore.KillFile(new VaultLayout(Vault), "vwap_mr_okx").Read()!.ClearedAtMs);
    }

    [Theory]
    [InlineData("kill")]
    [InlineData("kill", "--strategy", "../etc")]
    [InlineData("kill", "--strategy", "Upper")]
    [InlineData("kill", "--strategy", "a", "--bogus")]
    public async Task Kill_UsageError_ExitsTwoWithOneLine(params string[] args)
    {
        var (code, _, error) = await CliRunner.RunAsync([.. args, "--vault", Vault]);

        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(Path.Combine(Vault, "state", "risk")));
    }

    [Fact]
    public async Task Status_ShowsTheKillSwitch()
    {
        await CliRunner.RunAsync("kill", "--vault", Vault, "--strategy", "vwap_mr_okx", "--reason", "manual");

        var (code, output, _) = await CliRunner.RunAsync("status", "--vault", Vault, "--json");

        Assert.Equal(0, code);
        Assert.Contains("kill_switch since", output, StringComparison.Ordinal);
    }
}
