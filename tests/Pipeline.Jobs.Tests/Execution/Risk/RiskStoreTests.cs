using Pipeline.Jobs.Execution.Risk;
using Pipeline.Testing;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Execution.Risk;

public sealed class RiskStoreTests : IDisposable
{
    private const string Inst = "BTC-USDT-SWAP";
    private static readonly long T0 = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long NextDay = new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public RiskStoreTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static RiskLimits Limits => new() { DailyLossLimit = 3m, MaxOrdersPerMinute = 2 };

    private static OrderIntent Order(string id) => new(id, Inst, true, 0.1m);

    [Fact]
    public void DailyLossHalt_NewInstanceFromTheSameFile_IsStillHalted_UntilTheNextUtcDay()
    {
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        gate.OnFill(new RiskFill(T0, "f1", Inst, true, 1m, 1000m, 0m));
        gate.OnFill(new RiskFill(T0 + 1000, "f2", Inst, false, 1m, 997m, 0m));
        Assert.Equal("daily_loss", gate.Check(Order("o1"), 997m, T0 + 2000).Limit);
        RiskStore.Save(_vault, gate);

        var restarted = RiskStore.Load(_vault, "s1", Limits, Inst);
        var blocked = restarted.Check(Order("o2"), 1200m, T0 + 3000);

        Assert.Equal("daily_loss", blocked.Limit);
        Assert.Equal(-3m, restarted.DayRealized);
        Assert.True(restarted.Check(Order("o3"), 1200m, NextDay).Allowed);
    }

    [Fact]
    public void StateAcrossARestart_KeepsVolatilityHaltOrdersAndFills()
    {
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        Assert.True(gate.Check(Order("o1"), 1000m, T0).Allowed);
        gate.OnFill(new RiskFill(T0 + 10, "f1", Inst, true, 0.1m, 1000m, 0.02m));
        gate.OnPrice(T0 + 1000, 1000m);
        gate.OnPrice(T0 + 2000, 1002m);
        var reason = gate.Check(Order("o2"), 1002m, T0 + 3000).Reason;
        RiskStore.Save(_vault, gate);

        var restarted = RiskStore.Load(_vault, "s1", Limits, Inst);
        restarted.OnFill(new RiskFill(T0 + 10, "f1", Inst, true, 0.1m, 1000m, 0.02m)); // replayed by a repeated pass

        Assert.Equal(reason, restarted.Check(Order("o4"), 1002m, T0 + 4000).Reason);
        Assert.Equal((0.1m, -0.02m), (restarted.PositionQty(Inst), restarted.DayRealized));
    }

    [Fact]
    public void OrdersPerMinute_CountedBeforeARestart_StillCount()
    {
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        Assert.True(gate.Check(Order("o1"), 1000m, T0).Allowed);
        Assert.True(gate.Check(Order("o2"), 1000m, T0 + 1).Allowed);
        RiskStore.Save(_vault, gate);

        var restarted = RiskStore.Load(_vault, "s1", Limits, Inst);

        Assert.Equal("orders_per_minute", restarted.Check(Order("o3"), 1000m, T0 + 2).Limit);
        Assert.True(restarted.Check(Order("o2"), 1000m, T0 + 3).Allowed); // the same order asked again (a repeated pass)
    }

    [Fact]
    public void KillSwitch_SurvivesTheDayRollover_WhileTheDailyLossHaltDoesNot()
    {
        RiskStore.KillFile(_vault, "s1").Write(new KillSwitch { Strategy = "s1", Active = true, SetAtMs = T0 });
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        gate.OnFill(new RiskFill(T0, "f1", Inst, true, 1m, 1000m, 0m));
        gate.OnFill(new RiskFill(T0 + 1000, "f2", Inst, false, 1m, 990m, 0m));
        RiskStore.Save(_vault, gate);

        var nextDay = RiskStore.Load(_vault, "s1", Limits, Inst);

        Assert.Equal("kill_switch", nextDay.Check(Order("o1"), 1000m, NextDay + 1).Limit);
        Assert.Equal(["kill_switch"], nextDay.ActiveHalts(NextDay + 1).Select(h => h.Kind));
    }

    [Fact]
    public void Save_WritesAtomicallyUnderStateRisk()
    {
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        gate.OnPrice(T0, 1000m);
        RiskStore.Save(_vault, gate);
        RiskStore.Save(_vault, gate);

        var path = Path.Combine(_vault.StateDir, "risk", "s1.json");
        Assert.True(File.Exists(path));
        Assert.True(File.Exists(path + ".bak")); // StateFile: temp + fsync + replace, previous copy kept
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void VolatilityWindow_SpanningARestart_StillHalts()
    {
        var gate = RiskStore.Load(_vault, "s1", Limits, Inst);
        gate.OnPrice(T0 + 1000, 1000m);
        RiskStore.Save(_vault, gate); // a pass ends between the two prices of one 5-second move

        var restarted = RiskStore.Load(_vault, "s1", Limits, Inst);
        restarted.OnPrice(T0 + 3000, 1002m);

        Assert.Equal("volatility", restarted.Check(Order("o1"), 1002m, T0 + 3001).Limit);
    }
}
