using System.Text.Json;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Status;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>
/// status shows each paper strategy's position and PnL, from a vault the real executor wrote. Defaults: notional 1000,
/// maker fee 0.02 % (0.2 per fill), bands 985/1015. Minute 0 closes at 980: a long limit at 980, filled at 12:01:10;
/// minute 1 closes at 990. Unrealised at 990: gross 1000 × (990 − 980) / 980 = 10.20408…, net of the entry fee 10.00408….
/// </summary>
public sealed class StatusStrategiesTests : IDisposable
{
    private const string Id = "vwap_mean_reversion";
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly TestVault _fixture;

    public StatusStrategiesTests()
    {
        _vault = new VaultLayout(_dir.Path);
        _fixture = TestVault.Over(_vault);
        _fixture.AppendTrade(At(0, 30_000), 990m);
        _fixture.Minute(Minute(0), 980m);
        _fixture.AppendTrade(At(1, 10_000), 979m);
        _fixture.Minute(Minute(1), 990m);
        new LiveExecutor(_vault, CreateConfig()).RunOnce();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_OpenLong_PositionAndUnrealisedAtTheLastClose()
    {
        var status = Assert.Single(StrategyStatus.ReadAll(_vault));
        Assert.Equal((Id, "okx", "BTC-USDT-SWAP"), (status.Strategy, status.Exchange, status.InstId));
        Assert.Equal(("long", 980m), (status.Side, status.EntryPx));
        Assert.Equal(1.020408163265m, status.Qty); // the engine sizes to 12 decimals: 1000 / 980
        Assert.Equal((990m, Minute(2)), (status.MarkPx, status.MarkTs));
        Assert.Equal(10.2041m, Math.Round(status.UnrealizedGross!.Value, 4));
        Assert.Equal(10.0041m, Math.Round(status.UnrealizedNet!.Value, 4));
        Assert.Equal((0m, 0), (status.Realized, status.RoundTrips));
        Assert.Equal(Minute(1), status.LastMinuteMs);
        Assert.Equal("none: close inside bands", status.LastDecision);
    }

    [Fact]
    public async Task Status_OpenLong_PrintsThePositionLine()
    {
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path);
        Assert.True(code == 0, error);
        Assert.Contains("Paper strategies", output, StringComparison.Ordinal);
        Assert.Contains(
            "vwap_mean_reversion okx BTC-USDT-SWAP: LONG 1.02040816 @ 980 since 2025-03-03 12:01; unrealised +10.0041 USDT net (+10.2041 USDT gross) at 990, the close of 2025-03-03 12:01; realised 0 USDT over 0 round trip(s); decided up to 2025-03-03 12:01 (none: close inside bands)",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AfterTakeProfit_FlatWithRealisedNet()
    {
        // Minute 2 trades through the take-profit (0.6 % above 980 = 985.88): net +5.6 = 1000 × 0.6 % − 2 × 0.2.
        _fixture.Minute(Minute(2), 990m);
        _fixture.AppendTrade(At(3, 5_000), 990m);
        _fixture.Minute(Minute(3), 990m, adx: 27.3m);
        _fixture.Minute(Minute(4), 1000m);
        new LiveExecutor(_vault, CreateConfig()).RunOnce();

        var status = Assert.Single(StrategyStatus.ReadAll(_vault));
        Assert.Null(status.Side);
        Assert.Equal((5.6m, 1), (status.Realized, status.RoundTrips));

        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var strategy = Assert.Single(json.RootElement.GetProperty("strategies").EnumerateArray());
        Assert.Equal(5.6m, strategy.GetProperty("realized").GetDecimal());
        Assert.Equal(JsonValueKind.Null, strategy.GetProperty("side").ValueKind);
    }
}
